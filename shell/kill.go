package shell

import (
	"fmt"
	"os/signal"
	"strconv"
	"strings"
	"syscall"
	"time"

	"golang.org/x/sys/unix"
)

// killList prints signal names (kill -l, trap -l) or translates the
// given numbers and names.
func killList(r *Runner, args []string) int {
	if len(args) == 0 {
		// bash's table: five to a line, the last line ending in a tab
		var b strings.Builder
		count := 0
		for n := 1; n <= 64; n++ {
			if n == 32 || n == 33 {
				continue
			}
			count++
			b.WriteString(fmt.Sprintf("%2d) SIG%s", n, signalName(n)))
			if count%5 == 0 {
				b.WriteByte('\n')
			} else {
				b.WriteByte('\t')
			}
		}
		s := b.String()
		if !strings.HasSuffix(s, "\n") {
			s += "\n"
		}
		return r.out(s)
	}
	st := 0
	for _, a := range args {
		if n, err := strconv.Atoi(a); err == nil {
			if n > 128 {
				n -= 128
			}
			if n == 0 {
				r.out("EXIT\n") // as bash: the trap name of signal 0
				continue
			}
			if n < 1 || n > 64 {
				r.errorf("kill: %s: invalid signal specification", a)
				st = 1
				continue
			}
			r.out(signalName(n) + "\n")
			continue
		}
		n, ok := signalNumber(a)
		if !ok || n == 0 {
			r.errorf("kill: %s: invalid signal specification", a)
			st = 1
			continue
		}
		r.out(strconv.Itoa(n) + "\n")
	}
	return st
}

// killBuiltin implements kill [-s sig | -sig] pid|%job... and kill -l.
func killBuiltin(r *Runner, args []string) int {
	args = args[1:]
	sig := int(unix.SIGTERM)
	if len(args) == 0 {
		return r.usageError("kill", "usage: kill [-s sigspec | -n signum | -sigspec] pid | jobspec ... or kill -l [sigspec]")
	}
	spec, used := "", 0 // the signal named, and the arguments that named it
	switch a := args[0]; {
	case a == "-l" || a == "-L":
		return killList(r, args[1:])
	case a == "-s" || a == "-n":
		if len(args) < 2 {
			return r.usageError("kill", "%s: option requires an argument", a)
		}
		spec, used = args[1], 2
	case a == "--":
		args = args[1:]
	case strings.HasPrefix(a, "-s") && len(a) > 2:
		spec, used = a[2:], 1 // -sNAME, the signal joined to the option (bash, dash)
	case strings.HasPrefix(a, "-") && len(a) > 1:
		spec, used = a[1:], 1
	}
	if used > 0 {
		n, ok := signalNumber(spec)
		if !ok {
			r.errorf("kill: %s: invalid signal specification", spec)
			return 1
		}
		sig = n
		args = args[used:]
	}
	if len(args) > 0 && args[0] == "--" {
		args = args[1:]
	}
	if len(args) == 0 {
		// a signal but no process (kill -TERM, kill -s TERM, kill --)
		return r.usageError("kill", "usage: kill [-s sigspec | -n signum | -sigspec] pid | jobspec ... or kill -l [sigspec]")
	}
	st := 0
	for _, a := range args {
		var pids []int
		if strings.HasPrefix(a, "%") {
			if err := r.signalJob(a, unix.Signal(sig)); err != nil {
				r.errorf("kill: %s", err)
				st = 1
			}
			continue
		} else {
			pid, err := strconv.Atoi(a)
			if err != nil {
				r.errorf("kill: %s: arguments must be process or job IDs", a)
				st = 1
				continue
			}
			if pid > pseudoPidBase {
				// $! of a job with no process of its own: signal the job
				if j, err := r.jobs.find(a, true); err == nil {
					j.signal(unix.Signal(sig))
					continue
				}
			}
			pids = []int{pid}
		}
		for _, pid := range pids {
			if pid == r.sh.pid && sig == int(unix.SIGTSTP) && r.sh.Interactive && !r.sh.sig.hasTrap(unix.SIGTSTP) {
				continue // an interactive shell ignores a stop sent to itself, as bash does (^Z stops jobs, not the shell)
			}
			self := pid == r.sh.pid && sig != 0 && r.sh.sig.catches(unix.Signal(sig))
			var handled <-chan struct{}
			if self {
				handled = r.sh.sig.handledChan()
			}
			err := unix.Kill(pid, unix.Signal(sig))
			if self && err == nil {
				// let the signal be handled before the next command, as a
				// shell that handles signals between commands would
				select {
				case <-handled:
				case <-time.After(time.Second):
				}
			}
			if err != nil {
				r.errorf("kill: (%d) - %s", pid, ErrorText(err))
				st = 1
			} else if pid == r.sh.pid && !self && killsByDefault(unix.Signal(sig)) && !signal.Ignored(syscall.Signal(sig)) {
				// the runtime would die of it a moment later, after more
				// commands had run; a shell dies before its next command
				dieBySignal(unix.Signal(sig))
			}
		}
	}
	return st
}

func init() { builtins["kill"] = killBuiltin }

// killsByDefault reports whether sig's default action ends the process
// (rather than being ignored, or stopping or continuing it).
func killsByDefault(sig unix.Signal) bool {
	switch sig {
	case 0, unix.SIGCHLD, unix.SIGCONT, unix.SIGURG, unix.SIGWINCH,
		unix.SIGSTOP, unix.SIGTSTP, unix.SIGTTIN, unix.SIGTTOU:
		return false
	}
	return true
}
