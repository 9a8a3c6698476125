/* Authenticode signature parser: the PE header's certificate table, its
 * WIN_CERTIFICATE (winnt.h), and a minimal DER walk of the PKCS#7
 * SignedData inside (RFC 2315; X.509 of RFC 5280). Every length is checked
 * against what remains of its enclosing value. */
#include "kexec/pesig.h"
#include "lib/file.h"
#include "lib/le.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

/* PE/COFF: "PE\0\0" at the offset stored at 0x3c, then the 20-byte COFF
 * header, then the optional header whose data directories follow the
 * fields of its magic's size. */
enum {
	PE_OFFSET_AT = 0x3c,
	PE_SIGNATURE = 4,
	COFF_HEADER = 20,
	OPT_PE32_NDIRS = 92,		/* NumberOfRvaAndSizes */
	OPT_PE32_DIRS = 96,
	OPT_PE32PLUS_NDIRS = 108,
	OPT_PE32PLUS_DIRS = 112,
	DIR_ENTRY = 8,			/* VirtualAddress, Size */
	DIR_SECURITY = 4,		/* its VirtualAddress is a file offset */
	MAGIC_PE32 = 0x10b,
	MAGIC_PE32PLUS = 0x20b,
};
/* PE32+ has no BaseOfData (-4) and 8-byte ImageBase and stack/heap sizes (+4 + 4 * 4) */
_Static_assert(OPT_PE32PLUS_DIRS == OPT_PE32_DIRS + 16, "PE32+ optional header");
_Static_assert(OPT_PE32_DIRS == OPT_PE32_NDIRS + 4, "directories follow their count");
_Static_assert(OPT_PE32PLUS_DIRS == OPT_PE32PLUS_NDIRS + 4, "directories follow their count");

/* WIN_CERTIFICATE: dwLength, wRevision, wCertificateType, bCertificate[]. */
enum {
	WC_LENGTH = 0,
	WC_REVISION = 4,
	WC_TYPE = 6,
	WC_HEADER = 8,
	WIN_CERT_REVISION_2_0 = 0x0200,
	WIN_CERT_TYPE_PKCS_SIGNED_DATA = 0x0002,
};
_Static_assert(WC_REVISION == WC_LENGTH + 4 && WC_TYPE == WC_REVISION + 2 &&
	       WC_HEADER == WC_TYPE + 2, "WIN_CERTIFICATE layout");

/* DER tags (X.690): universal, and context-specific [n]. */
enum {
	T_BOOL = 0x01, T_INT = 0x02, T_OCTETS = 0x04, T_OID = 0x06,
	T_SEQ = 0x30, T_SET = 0x31,
	T_CTX0 = 0x80, T_CTX0_C = 0xa0, T_CTX1_C = 0xa1, T_CTX3_C = 0xa3,
};

static const uint8_t OID_SIGNED_DATA[] = { 0x2a, 0x86, 0x48, 0x86, 0xf7, 0x0d, 0x01, 0x07, 0x02 };
static const uint8_t OID_CN[] = { 0x55, 0x04, 0x03 };
static const uint8_t OID_O[] = { 0x55, 0x04, 0x0a };
static const uint8_t OID_SKID[] = { 0x55, 0x1d, 0x0e };
static const uint8_t OID_AKID[] = { 0x55, 0x1d, 0x23 };

/* A DER value, or what remains of one being walked. */
struct der {
	const uint8_t *p;
	size_t n;
};

struct cert {
	struct der serial, issuer, subject, skid, akid;	/* n 0: absent */
};

int pesig_locate(const uint8_t *head, size_t len, uint32_t *off, uint32_t *size)
{
	uint64_t pe, opt, ndirs, dirs;

	if (len < PE_OFFSET_AT + 4 || head[0] != 'M' || head[1] != 'Z')
		return -ENOEXEC;
	pe = le32(head + PE_OFFSET_AT);
	opt = pe + PE_SIGNATURE + COFF_HEADER;
	if (opt + 2 > len || memcmp(head + pe, "PE\0\0", PE_SIGNATURE))
		return -ENOEXEC;
	switch (le16(head + opt)) {
	case MAGIC_PE32PLUS: ndirs = opt + OPT_PE32PLUS_NDIRS; dirs = opt + OPT_PE32PLUS_DIRS; break;
	case MAGIC_PE32: ndirs = opt + OPT_PE32_NDIRS; dirs = opt + OPT_PE32_DIRS; break;
	default: return -ENOEXEC;
	}
	if (dirs + (DIR_SECURITY + 1) * DIR_ENTRY > len)
		return -ENOEXEC;
	*off = *size = 0;
	if (le32(head + ndirs) <= DIR_SECURITY)
		return 0;
	*off = le32(head + dirs + DIR_SECURITY * DIR_ENTRY);
	*size = le32(head + dirs + DIR_SECURITY * DIR_ENTRY + 4);
	return 0;
}

/* The next value of *in: tag and contents. Low tag numbers and definite
 * lengths of up to 4 bytes, as DER has them; the value must fit in *in. */
static int der_next(struct der *in, uint8_t *tag, struct der *v)
{
	size_t len, hdr = 2, k, i;

	if (in->n < 2 || (in->p[0] & 0x1f) == 0x1f)
		return -EBADMSG;
	len = in->p[1];
	if (len & 0x80) {
		k = len & 0x7f;
		if (!k || k > 4 || in->n - 2 < k)
			return -EBADMSG;
		for (len = 0, i = 0; i < k; i++)
			len = len << 8 | in->p[2 + i];
		hdr += k;
	}
	if (len > in->n - hdr)
		return -EBADMSG;
	*tag = in->p[0];
	v->p = in->p + hdr;
	v->n = len;
	in->p += hdr + len;
	in->n -= hdr + len;
	return 0;
}

/* The next value, which must have tag want. */
static int der_take(struct der *in, uint8_t want, struct der *v)
{
	uint8_t tag;

	return der_next(in, &tag, v) || tag != want ? -EBADMSG : 0;
}

/* Skip the next value if it has tag maybe (an OPTIONAL field). */
static int der_skip(struct der *in, uint8_t maybe)
{
	struct der v;

	return in->n && in->p[0] == maybe ? der_take(in, maybe, &v) : 0;
}

static int der_eq(struct der a, const uint8_t *b, size_t n)
{
	return a.n == n && !memcmp(a.p, b, n);
}

#define IS_OID(d, oid) der_eq(d, oid, sizeof(oid))

/* CN and O of a Name: SEQUENCE OF SET OF { type OID, value string }. */
static int name_parts(struct der name, struct der *cn, struct der *o)
{
	struct der set, atv, oid, val;
	uint8_t tag;

	cn->n = o->n = 0;
	while (name.n) {
		if (der_take(&name, T_SET, &set))
			return -EBADMSG;
		while (set.n) {
			if (der_take(&set, T_SEQ, &atv) || der_take(&atv, T_OID, &oid) ||
			    der_next(&atv, &tag, &val))
				return -EBADMSG;
			if (IS_OID(oid, OID_CN))
				*cn = val;
			else if (IS_OID(oid, OID_O))
				*o = val;
		}
	}
	return 0;
}

/* A Name for people: its CN, else its O, unprintable bytes as '?'. */
static void name_text(struct der name, char *out, size_t len)
{
	struct der cn, o, *d = &cn;
	size_t i;

	out[0] = 0;
	if (name_parts(name, &cn, &o))
		return;
	if (!cn.n)
		d = &o;
	for (i = 0; i < d->n && i + 1 < len; i++)
		out[i] = d->p[i] >= 0x20 && d->p[i] < 0x7f ? (char)d->p[i] : '?';
	out[i] = 0;
}

static void hex(struct der d, char *out)
{
	size_t i;

	for (i = 0; i < d.n && i < (PESIG_ID_HEX - 1) / 2; i++)
		sprintf(out + 2 * i, "%02x", d.p[i]);
	out[2 * i] = 0;
}

/* subjectKeyIdentifier (an OCTET STRING) and authorityKeyIdentifier's
 * keyIdentifier ([0]) out of the extensions. */
static int cert_extensions(struct der exts, struct cert *c)
{
	struct der ext, oid, val, akid;

	while (exts.n) {
		if (der_take(&exts, T_SEQ, &ext) || der_take(&ext, T_OID, &oid) ||
		    der_skip(&ext, T_BOOL) || der_take(&ext, T_OCTETS, &val))
			return -EBADMSG;
		if (IS_OID(oid, OID_SKID) && der_take(&val, T_OCTETS, &c->skid))
			return -EBADMSG;
		if (IS_OID(oid, OID_AKID)) {
			if (der_take(&val, T_SEQ, &akid))
				return -EBADMSG;
			if (akid.n && akid.p[0] == T_CTX0 && der_take(&akid, T_CTX0, &c->akid))
				return -EBADMSG;
		}
	}
	return 0;
}

/* The contents of a Certificate: tbsCertificate, signatureAlgorithm,
 * signature. */
static int cert_parse(struct der cert, struct cert *c)
{
	struct der tbs, skip, exts;
	uint8_t tag;

	memset(c, 0, sizeof(*c));
	if (der_take(&cert, T_SEQ, &tbs) || der_skip(&tbs, T_CTX0_C) ||
	    der_take(&tbs, T_INT, &c->serial) || der_take(&tbs, T_SEQ, &skip) ||
	    der_take(&tbs, T_SEQ, &c->issuer) || der_take(&tbs, T_SEQ, &skip) ||
	    der_take(&tbs, T_SEQ, &c->subject) || der_take(&tbs, T_SEQ, &skip))
		return -EBADMSG;
	while (tbs.n) {		/* [1], [2] unique ids; [3] extensions */
		if (der_next(&tbs, &tag, &skip))
			return -EBADMSG;
		if (tag == T_CTX3_C && (der_take(&skip, T_SEQ, &exts) || cert_extensions(exts, c)))
			return -EBADMSG;
	}
	return 0;
}

/* ContentInfo { signedData, [0] SignedData { version, digestAlgorithms,
 * contentInfo, [0] certificates OPTIONAL, [1] crls OPTIONAL, signerInfos } }. */
static int signed_data(struct der msg, struct der *certs, struct der *signers)
{
	struct der ci, oid, wrap, sd, skip;

	if (der_take(&msg, T_SEQ, &ci) || der_take(&ci, T_OID, &oid) ||
	    !IS_OID(oid, OID_SIGNED_DATA) || der_take(&ci, T_CTX0_C, &wrap) ||
	    der_take(&wrap, T_SEQ, &sd) || der_take(&sd, T_INT, &skip) ||
	    der_take(&sd, T_SET, &skip) || der_take(&sd, T_SEQ, &skip))
		return -EBADMSG;
	certs->n = 0;
	if (sd.n && sd.p[0] == T_CTX0_C && der_take(&sd, T_CTX0_C, certs))
		return -EBADMSG;
	if (der_skip(&sd, T_CTX1_C) || der_take(&sd, T_SET, signers))
		return -EBADMSG;
	return 0;
}

/* The certificate a signer names: by issuer and serial, or by key id. */
static const struct cert *find_cert(const struct cert *c, int n, const struct der *issuer,
				    struct der serial, struct der skid)
{
	int i;

	for (i = 0; i < n; i++)
		if (issuer ? der_eq(c[i].issuer, issuer->p, issuer->n) &&
			     der_eq(c[i].serial, serial.p, serial.n)
			   : skid.n && der_eq(c[i].skid, skid.p, skid.n))
			return &c[i];
	return NULL;
}

static void add_trust(struct pesig_signer *s, struct der id)
{
	int i;

	if (!id.n || s->ntrust == PESIG_MAX_CHAIN)
		return;
	hex(id, s->trust[s->ntrust]);
	for (i = 0; i < s->ntrust; i++)
		if (!strcmp(s->trust[i], s->trust[s->ntrust]))
			return;
	s->ntrust++;
}

/* The issuer of c among the certificates of the message: by authority key
 * id, else by name; NULL at a self-signed one or where the message ends. */
static const struct cert *issuer_of(const struct cert *c, const struct cert *all, int n)
{
	int i;

	if (c->akid.n)
		return find_cert(all, n, NULL, c->akid, c->akid);
	if (der_eq(c->issuer, c->subject.p, c->subject.n))
		return NULL;
	for (i = 0; i < n; i++)
		if (der_eq(all[i].subject, c->issuer.p, c->issuer.n))
			return &all[i];
	return NULL;
}

/* The key ids up the chain from c: each certificate's own (skid, else
 * serial) and its authority key id, as the kernel's
 * pkcs7_validate_trust_one looks for each in the trusted keyrings. */
static void chain(struct pesig_signer *s, const struct cert *c, const struct cert *all, int n)
{
	const struct cert *up;
	int depth;

	for (depth = 0; c && depth < PESIG_MAX_CHAIN; depth++, c = up != c ? up : NULL) {
		add_trust(s, c->skid.n ? c->skid : c->serial);
		add_trust(s, c->akid);
		up = issuer_of(c, all, n);
	}
}

/* SignerInfo { version, sid: issuerAndSerialNumber | [0] subjectKeyIdentifier, ... } */
static int signer(struct der si, const struct cert *certs, int n, struct pesig_signer *s)
{
	struct der v, sid, issuer, serial = { NULL, 0 }, skid = { NULL, 0 };
	const struct cert *c;

	memset(s, 0, sizeof(*s));
	if (der_take(&si, T_INT, &v) || !si.n)
		return -EBADMSG;
	if (si.p[0] == T_SEQ) {
		if (der_take(&si, T_SEQ, &sid) || der_take(&sid, T_SEQ, &issuer) ||
		    der_take(&sid, T_INT, &serial))
			return -EBADMSG;
		c = find_cert(certs, n, &issuer, serial, skid);
		name_text(issuer, s->issuer, sizeof(s->issuer));
	} else if (!der_take(&si, T_CTX0, &skid)) {
		c = find_cert(certs, n, NULL, serial, skid);
		if (c)
			name_text(c->issuer, s->issuer, sizeof(s->issuer));
	} else {
		return -EBADMSG;
	}
	if (c) {
		name_text(c->subject, s->subject, sizeof(s->subject));
		hex(c->skid.n ? c->skid : c->serial, s->key_id);
		chain(s, c, certs, n);
	} else {
		hex(skid.n ? skid : serial, s->key_id);
	}
	return 0;
}

int pesig_parse(const uint8_t *table, size_t len, struct pesig *sig)
{
	struct cert certs[PESIG_MAX_CERTS];
	struct der msg, set, signers, one;
	uint32_t wlen;
	int ncerts = 0;

	memset(sig, 0, sizeof(*sig));
	if (len < WC_HEADER)
		return -EBADMSG;
	wlen = le32(table + WC_LENGTH);
	if (wlen < WC_HEADER || wlen > len ||
	    le16(table + WC_REVISION) != WIN_CERT_REVISION_2_0 ||
	    le16(table + WC_TYPE) != WIN_CERT_TYPE_PKCS_SIGNED_DATA)
		return -EBADMSG;
	msg = (struct der){ table + WC_HEADER, wlen - WC_HEADER };
	if (signed_data(msg, &set, &signers))
		return -EBADMSG;
	while (set.n) {
		if (ncerts == PESIG_MAX_CERTS)
			return -E2BIG;
		if (der_take(&set, T_SEQ, &one) || cert_parse(one, &certs[ncerts]))
			return -EBADMSG;
		ncerts++;
	}
	while (signers.n) {
		if (sig->n == PESIG_MAX_SIGNERS)
			return -E2BIG;
		if (der_take(&signers, T_SEQ, &one) || signer(one, certs, ncerts, &sig->v[sig->n]))
			return -EBADMSG;
		sig->n++;
	}
	return sig->n ? 0 : -EBADMSG;
}

int pesig_read(const char *path, struct pesig *sig)
{
	uint8_t head[4096], *table = NULL;
	uint32_t off, size;
	struct stat st;
	ssize_t n;
	int fd, r;

	memset(sig, 0, sizeof(*sig));
	fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return -errno;
	if (fstat(fd, &st) || (n = pread(fd, head, sizeof(head), 0)) < 0) {
		r = -errno;
		goto out;
	}
	r = pesig_locate(head, (size_t)n, &off, &size);
	if (r)
		goto out;
	r = -ENODATA;
	if (!size)
		goto out;
	r = -EBADMSG;
	if ((uint64_t)off + size > (uint64_t)st.st_size || size > (1u << 20))
		goto out;
	r = -ENOMEM;
	if (!(table = malloc(size)))
		goto out;
	if (lseek(fd, off, SEEK_SET) < 0)
		r = -errno;
	else if ((n = read_full(fd, table, size)) < 0)
		r = (int)n;
	else
		r = n == (ssize_t)size ? pesig_parse(table, size, sig) : -EBADMSG;
out:
	free(table);
	close(fd);
	return r;
}
