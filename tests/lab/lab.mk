# The kernel lab: Debian's kernels booted under QEMU (tests/lab/README.md).
#   make lab KERNEL=6.1 CMD='dioscope probe'      one command in a lab guest
#   make lab KERNEL=5.10 LAB_ARGS='--out lab-out' CMD='dioscope record -o /out/r -- true'
#   make lab-fetch                                download the newest lab kernels
#   make test-lab [LAB_KERNELS='6.1 6.12'|all]    the lab tests (default: lab.sh kernels default)
# LAB_ICOUNT=1 on any of them (and on make bench-kernels, tests/patches/
# lab-patched.sh) boots under QEMU's instruction counter: guest times are
# instructions (lab.sh --icount).

LAB := tests/lab/lab.sh
KERNEL ?= 6.1
CMD ?= dioscope probe
LAB_ARGS ?=

.PHONY: lab lab-fetch test-lab

# CMD reaches the guest's shell as one word, single quotes and all
lab: dioscope
	$(LAB) run $(KERNEL) $(LAB_ARGS) -- '$(subst ','\'',$(CMD))'

# a kernel whose package cannot be had (status 69) is skipped, said why
lab-fetch:
	@for k in $$($(LAB) kernels); do $(LAB) fetch $$k || [ $$? -eq 69 ] || exit 1; done

test-lab: dioscope
	tests/lab/run-tests.sh
