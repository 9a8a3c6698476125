/* The Authenticode signature of a PE image (a bzImage's EFI stub): who
 * signed it, as kexec_file_load's check under lockdown sees it. The kernel
 * (crypto/asymmetric_keys/verify_pefile.c) reads only the first
 * WIN_CERTIFICATE of the certificate table, a PKCS#7 SignedData; so does
 * this parser. It verifies nothing: it names the signers and the key ids
 * that would make the kernel trust them. */
#ifndef WB_PESIG_H
#define WB_PESIG_H

#include <stddef.h>
#include <stdint.h>

#define PESIG_MAX_SIGNERS 4
#define PESIG_MAX_CERTS 8	/* certificates in the message */
#define PESIG_MAX_CHAIN 4	/* key ids of a signer's chain */
#define PESIG_ID_HEX 129	/* 64 bytes of key id in hex, and a NUL */

struct pesig_signer {
	char subject[128];	/* the signing certificate's CN (else O); "" when
				 * the message lacks that certificate */
	char issuer[128];	/* its issuer's CN (else O) */
	char key_id[PESIG_ID_HEX]; /* hex, as /proc/keys names keys: the subject
				 * key identifier, else the serial number */
	/* Key ids that, found in a trusted keyring, make the kernel accept
	 * this signer: its own, then up its chain of certificates in the
	 * message, ending with the authority key id of the last. */
	char trust[PESIG_MAX_CHAIN][PESIG_ID_HEX];
	int ntrust;
};

struct pesig {
	struct pesig_signer v[PESIG_MAX_SIGNERS];
	int n;
};

/* The certificate table (PE data directory 4) from the first len bytes of a
 * PE file: file offset and size (0: unsigned). 0, or -ENOEXEC when the
 * bytes are not a PE header. */
int pesig_locate(const uint8_t *head, size_t len, uint32_t *off, uint32_t *size);
/* Parse a certificate table. 0 with at least one signer, -EBADMSG when it is
 * not a WIN_CERTIFICATE holding PKCS#7 SignedData the way the kernel reads
 * it, -E2BIG beyond PESIG_MAX_SIGNERS or PESIG_MAX_CERTS. */
int pesig_parse(const uint8_t *table, size_t len, struct pesig *sig);
/* Read a file's signature: 0, -ENODATA when it carries none, -ENOEXEC when
 * it is not a PE image, -EBADMSG or -E2BIG as above, or -errno. */
int pesig_read(const char *path, struct pesig *sig);

#endif
