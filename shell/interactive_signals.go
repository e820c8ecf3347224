package shell

import (
	"os/signal"

	"golang.org/x/sys/unix"
)

// ignoreInteractiveSignals makes an interactive shell immune to SIGINT and
// SIGTERM, as bash is: ^C typed while a command runs (without job control
// the shell shares its process group) ends the command, not the shell, and
// kill without a signal name leaves it alone. Both are put back to their
// defaults in the shell's children (the launch spec resets the signals in
// sig.changed), and a trap still catches them.
func (r *Runner) ignoreInteractiveSignals() {
	for _, sig := range []unix.Signal{unix.SIGINT, unix.SIGTERM} {
		if r.sh.sig.catches(sig) {
			continue
		}
		r.sh.sig.changed = r.sh.sig.changed.Add(sig)
		signal.Ignore(sig)
	}
}
