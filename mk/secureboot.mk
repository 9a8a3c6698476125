# mk/secureboot.mk -- tests/vm/secureboot.bats: a real Secure Boot boot
# (OVMF from the host's ovmf package, Debian's shim and grub of SUITE).
#   make vm-secureboot   shim-signed, shim-helpers-amd64-signed and
#                        grub-efi-amd64-signed of SUITE into
#                        $(CACHE)/secureboot-SUITE-KEY (secureboot-esp.sh)
.PHONY: vm-secureboot
vm-secureboot: vm-fetch
	tests/vm/secureboot-esp.sh $(VM)

vm-artefacts: vm-secureboot
