/* The keys the kernel trusts for kexec_file_load's signature check, as
 * /proc/keys (under sys_root()) and the keyrings' own lists show them, and
 * the verdict lockdown will give on a kernel image.
 *
 * Under lockdown the kernel takes an image whose Authenticode signer chains
 * to a key of .builtin_trusted_keys or .secondary_trusted_keys (which links
 * .machine, the MOK keys), else of .platform (UEFI db)
 * (kexec_kernel_verify_pe_sig). /proc/keys lists keys, not which keyring
 * holds them, and its permissions do not tell either (the UEFI and MOK keys
 * and the revoked certificates of .blacklist are all view-only to their
 * owner): a key counts as trusted when one of those keyrings links it
 * (KEYCTL_READ, which root may do on all four). */
#ifndef WB_KEYRING_H
#define WB_KEYRING_H

#include "kexec/pesig.h"
#include "lib/array.h"

#include <stddef.h>
#include <stdint.h>

struct trusted_key {
	char subject[128];	/* the description before the key id */
	char id[PESIG_ID_HEX];	/* hex: subject key id, else serial */
	int32_t serial;		/* /proc/keys' first column */
	int ring;		/* index of the keyring holding it, -1: none */
};

#define KEYRING_TRUSTED 4

struct keyrings {
	ARRAY(struct trusted_key);
	/* keys of each trusted keyring (.builtin_trusted_keys,
	 * .secondary_trusted_keys, .platform, .machine; keyrings it links
	 * count as one); -1 when /proc/keys does not list it */
	int count[KEYRING_TRUSTED];
	int32_t serial[KEYRING_TRUSTED];
	int unread;	/* -errno of a listed keyring that could not be read */
};

extern const char *const keyring_names[KEYRING_TRUSTED];

/* Parse the text of /proc/keys: every asymmetric key (ring -1) and the
 * trusted keyrings. 0, or -ENOMEM. */
int keyrings_parse(const char *text, struct keyrings *k);
/* Keep the keys a trusted keyring links, each with its keyring
 * (sys_keyring_read). */
void keyrings_resolve(struct keyrings *k);
/* Read sys_root()/proc/keys and resolve it. 0 or -errno. */
int keyrings_read(struct keyrings *k);
/* The trusted key that vouches for a signer, or NULL. */
const struct trusted_key *keyrings_find(const struct keyrings *k, const struct pesig_signer *s);

enum lockdown_verdict { LOCKDOWN_TRUSTED, LOCKDOWN_REFUSED, LOCKDOWN_UNKNOWN };

/* Whether lockdown (mode "integrity" or "confidentiality") lets
 * kexec_file_load take kernel, and why in text: the signer (subject, key
 * id), the keyrings looked at and what to do. */
enum lockdown_verdict lockdown_judge(const char *kernel, const char *mode, char *text,
				     size_t len);

#endif
