# The kernel lab: Debian's kernels under QEMU (tests/lab/README.md).
#   make lab KERNEL=6.1 CMD='dioscope probe'
#   make test-lab

LAB := tests/lab/lab.sh
KERNEL ?= 6.1
CMD ?= dioscope probe

.PHONY: lab test-lab

lab: dioscope
	$(LAB) run $(KERNEL) -- '$(CMD)'

test-lab: dioscope
	tests/lab/run-tests.sh
