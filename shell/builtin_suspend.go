package shell

import (
	"os"
	"os/signal"

	"golang.org/x/sys/unix"
)

const suspendUsage = "suspend: usage: suspend [-f]\n"

// suspendBuiltin implements suspend [-f]: the shell stops (SIGSTOP to its
// process group) until a SIGCONT, as bash's does. Without -f it refuses in
// a shell without job control and in a login shell.
func suspendBuiltin(r *Runner, args []string) int {
	opts, rest, bad, missing := builtinGetopt(args[1:], "f")
	if bad != "" {
		return r.optError("suspend", bad, missing, suspendUsage)
	}
	if len(rest) > 0 {
		r.errorf("suspend: too many arguments")
		return 1
	}
	force := len(opts) > 0
	if !force {
		if !r.sh.jobControl {
			r.errorf("suspend: cannot suspend: no job control")
			return 1
		}
		if r.sh.ia.login {
			r.errorf("suspend: cannot suspend a login shell")
			return 1
		}
	}
	if err := r.sh.suspend(); err != nil {
		r.errorf("suspend: %s", ErrorText(err))
		return 1
	}
	return 0
}

func init() {
	builtins["suspend"] = suspendBuiltin
	builtinHelp["suspend"] = "suspend [-f] - stop the shell until it gets a SIGCONT"
}

// suspend stops the shell's process group until a SIGCONT. An interactive
// shell that made a group of its own when it started goes back to the
// group its parent gave it, so that the parent, which knows that group as
// the job, continues it with fg; it takes its own group (and the terminal,
// when the parent gave it the terminal) back when it goes on.
func (sh *Shell) suspend() error {
	cont := make(chan os.Signal, 1)
	signal.Notify(cont, unix.SIGCONT)
	defer signal.Stop(cont)
	stop := func(pgid int) error {
		err := unix.Kill(-pgid, unix.SIGSTOP)
		if err == nil {
			// another thread may take the stop: go on only once continued
			<-cont
		}
		return err
	}
	if !sh.jobControl || sh.pgid <= 0 {
		return stop(unix.Getpgrp())
	}
	if sh.origPgid == sh.pgid || sh.origPgid <= 0 || unix.Setpgid(0, sh.origPgid) != nil {
		return stop(sh.pgid)
	}
	if sh.tty >= 0 {
		unix.IoctlSetPointerInt(sh.tty, unix.TIOCSPGRP, sh.origPgid)
	}
	err := stop(sh.origPgid)
	fg := false
	if sh.tty >= 0 {
		pg, gerr := unix.IoctlGetInt(sh.tty, unix.TIOCGPGRP)
		fg = gerr == nil && pg == sh.origPgid
	}
	unix.Setpgid(0, sh.pgid)
	if fg {
		sh.takeTerminal(false)
	}
	return err
}
