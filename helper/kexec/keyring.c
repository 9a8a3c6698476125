/* /proc/keys and the lockdown verdict (see keyring.h). A line of /proc/keys
 * (security/keys/proc.c proc_keys_show) is
 *   ID FLAGS USAGE TIMEOUT PERM UID GID TYPE DESCRIPTION
 * with TYPE cut to 9 characters ("asymmetri"); a keyring's description is
 * "NAME: N" or "NAME: empty", an X.509 key's "SUBJECT: KEYID: X509.rsa ..."
 * (x509_key_preparse names it by its CN or O and the hex of its subject
 * key id, else of its serial). */
#include "kexec/keyring.h"
#include "lib/file.h"
#include "lib/text.h"
#include "sys/sys.h"

#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

const char *const keyring_names[KEYRING_TRUSTED] = {
	".builtin_trusted_keys", ".secondary_trusted_keys", ".platform", ".machine",
};

static const char HEX[] = "0123456789abcdef";

/* Split "SUBJECT: KEYID: ..." at the last ": HEX" that ends at ':' or at
 * the end: a subject may itself hold ": " ("O: CN"). */
static int split_key(const char *desc, struct trusted_key *key)
{
	const char *p, *at = NULL;
	size_t n;

	for (p = strstr(desc, ": "); p; p = strstr(p + 1, ": ")) {
		n = strspn(p + 2, HEX);
		if (n >= 2 && (p[2 + n] == ':' || !p[2 + n]))
			at = p;
	}
	if (!at)
		return -1;
	n = strspn(at + 2, HEX);
	snprintf(key->subject, sizeof(key->subject), "%.*s", (int)(at - desc), desc);
	snprintf(key->id, sizeof(key->id), "%.*s", (int)n, at + 2);
	return 0;
}

static void note_keyring(const char *desc, int32_t serial, struct keyrings *k)
{
	size_t i, n;

	for (i = 0; i < KEYRING_TRUSTED; i++) {
		n = strlen(keyring_names[i]);
		if (!strncmp(desc, keyring_names[i], n) && !strncmp(desc + n, ": ", 2)) {
			k->count[i] = atoi(desc + n + 2);	/* "empty": 0 */
			k->serial[i] = serial;
		}
	}
}

static int parse_line(char *line, struct keyrings *k)
{
	char *w[8], *end = line + strlen(line), *desc, *rest;
	struct trusted_key key, *t;
	unsigned long serial;

	if (split_words(line, w, 8) < 8)
		return 0;
	desc = w[7] + strlen(w[7]) + 1;
	if (desc > end)
		return 0;
	desc += strspn(desc, " ");
	serial = strtoul(w[0], &rest, 16);
	if (*rest || !serial || serial > INT32_MAX)
		return 0;
	if (!strcmp(w[7], "keyring"))
		note_keyring(desc, (int32_t)serial, k);
	else if (!strcmp(w[7], "asymmetri") && !split_key(desc, &key)) {
		if (!(t = array_push(k)))
			return -ENOMEM;
		key.serial = (int32_t)serial;
		key.ring = -1;
		*t = key;
	}
	return 0;
}

int keyrings_parse(const char *text, struct keyrings *k)
{
	char line[1024];
	const char *p = text;
	size_t n, i;
	int r = 0;

	memset(k, 0, sizeof(*k));
	for (i = 0; i < KEYRING_TRUSTED; i++)
		k->count[i] = -1;
	while (*p && !r) {
		n = strcspn(p, "\n");
		snprintf(line, sizeof(line), "%.*s", (int)(n < sizeof(line) ? n : sizeof(line) - 1), p);
		r = parse_line(line, k);
		p += n + (p[n] == '\n');
	}
	if (r)
		array_free(k);
	return r;
}

/* Attribute the keys keyring i links to it (keys of an earlier keyring keep
 * theirs: .secondary_trusted_keys links the whole of .builtin_trusted_keys
 * and .machine as keyrings, not key by key). */
static void resolve_ring(struct keyrings *k, int i)
{
	int32_t ids[1024];
	int n, j;
	size_t m;

	n = sys_keyring_read(k->serial[i], ids, sizeof(ids) / sizeof(ids[0]));
	if (n < 0) {
		k->unread = n;
		return;
	}
	for (j = 0; j < n && j < (int)(sizeof(ids) / sizeof(ids[0])); j++)
		for (m = 0; m < k->n; m++)
			if (k->v[m].serial == ids[j] && k->v[m].ring < 0)
				k->v[m].ring = i;
}

void keyrings_resolve(struct keyrings *k)
{
	size_t m, kept = 0;
	int i;

	for (i = 0; i < KEYRING_TRUSTED; i++)
		if (k->count[i] > 0)
			resolve_ring(k, i);
	for (m = 0; m < k->n; m++)
		if (k->v[m].ring >= 0)
			k->v[kept++] = k->v[m];
	k->n = kept;
}

int keyrings_read(struct keyrings *k)
{
	char path[PATH_MAX], *text;
	size_t len;
	int r;

	snprintf(path, sizeof(path), "%s/proc/keys", sys_root());
	r = read_file(path, 1 << 20, &text, &len);
	if (r)
		return r;
	r = keyrings_parse(text, k);
	free(text);
	if (!r)
		keyrings_resolve(k);
	return r;
}

const struct trusted_key *keyrings_find(const struct keyrings *k, const struct pesig_signer *s)
{
	size_t i;
	int j;

	for (j = 0; j < s->ntrust; j++)
		for (i = 0; i < k->n; i++)
			if (!strcmp(k->v[i].id, s->trust[j]))
				return &k->v[i];
	return NULL;
}

/* ".builtin_trusted_keys (1), .platform (0), ..." of the keyrings listed. */
static int ring_list(const struct keyrings *k, char *out, size_t len)
{
	size_t i, n = 0;
	int listed = 0;

	out[0] = 0;
	for (i = 0; i < KEYRING_TRUSTED; i++)
		if (k->count[i] >= 0 && n < len) {
			n += snprintf(out + n, len - n, "%s%s (%d)", listed ? ", " : "",
				      keyring_names[i], k->count[i]);
			listed++;
		}
	return listed;
}

/* "SUBJECT" (key ID), issued by "ISSUER" (key ID) */
static void signer_text(const struct pesig_signer *s, char *out, size_t len)
{
	int n = snprintf(out, len, "\"%s\" (key %s)", s->subject[0] ? s->subject : "?",
			 s->key_id);

	if (n > 0 && (size_t)n < len && s->issuer[0])
		snprintf(out + n, len - n, ", issued by \"%s\"%s%s%s", s->issuer,
			 s->ntrust > 1 ? " (key " : "", s->ntrust > 1 ? s->trust[1] : "",
			 s->ntrust > 1 ? ")" : "");
}

static enum lockdown_verdict judge_signers(const char *kernel, const char *mode,
					   const struct pesig *sig, const struct keyrings *k,
					   char *text, size_t len)
{
	char who[600], rings[160];
	const struct trusted_key *t;
	int i;

	for (i = 0; i < sig->n; i++)
		if ((t = keyrings_find(k, &sig->v[i]))) {
			signer_text(&sig->v[i], who, sizeof(who));
			snprintf(text, len, "kernel lockdown (%s): %s is signed by %s, and the"
				 " kernel trusts \"%s\" (key %s) in %s", mode, kernel, who,
				 t->subject, t->id, keyring_names[t->ring]);
			return LOCKDOWN_TRUSTED;
		}
	signer_text(&sig->v[0], who, sizeof(who));
	if (k->unread) {
		ring_list(k, rings, sizeof(rings));
		snprintf(text, len, "kernel lockdown (%s): %s is signed by %s; the kernel's"
			 " keyrings %s are unreadable (%s) to tell whether the kernel trusts it",
			 mode, kernel, who, rings, strerror(-k->unread));
		return LOCKDOWN_UNKNOWN;
	}
	if (!ring_list(k, rings, sizeof(rings))) {
		snprintf(text, len, "kernel lockdown (%s): %s is signed by %s; /proc/keys"
			 " shows none of the kernel's trusted keyrings (run as root) to tell"
			 " whether the kernel trusts it", mode, kernel, who);
		return LOCKDOWN_UNKNOWN;
	}
	snprintf(text, len, "kernel lockdown (%s) refuses %s: it is signed by %s%s, and the"
		 " kernel's keyrings %s hold no key of that chain (%zu key%s%s%s%s); use a"
		 " kernel signed by a trusted key, or enrol the signer's certificate as a MOK"
		 " (mokutil --import, confirmed at the next boot through shim)", mode, kernel,
		 who, sig->n > 1 ? " (and others)" : "", rings, k->n, k->n == 1 ? "" : "s",
		 k->n ? ": \"" : "", k->n ? k->v[0].subject : "",
		 k->n > 1 ? "\", ..." : k->n ? "\"" : "");
	return LOCKDOWN_REFUSED;
}

enum lockdown_verdict lockdown_judge(const char *kernel, const char *mode, char *text,
				     size_t len)
{
	struct keyrings k;
	struct pesig sig;
	enum lockdown_verdict v;
	int r = pesig_read(kernel, &sig);

	if (r == -ENODATA || r == -ENOEXEC) {
		snprintf(text, len, "kernel lockdown (%s) takes only a signed kernel, and %s"
			 " carries no signature; use a kernel signed by a trusted key", mode,
			 kernel);
		return LOCKDOWN_REFUSED;
	}
	if (r) {
		snprintf(text, len, "kernel lockdown (%s) takes only a kernel signed by a"
			 " trusted key, and the signature of %s is unreadable: %s", mode, kernel,
			 strerror(-r));
		return r == -EBADMSG ? LOCKDOWN_REFUSED : LOCKDOWN_UNKNOWN;
	}
	if ((r = keyrings_read(&k))) {
		snprintf(text, len, "kernel lockdown (%s): %s is signed by \"%s\" (key %s);"
			 " /proc/keys is unreadable (%s) to tell whether the kernel trusts it",
			 mode, kernel, sig.v[0].subject, sig.v[0].key_id, strerror(-r));
		return LOCKDOWN_UNKNOWN;
	}
	v = judge_signers(kernel, mode, &sig, &k, text, len);
	array_free(&k);
	return v;
}
