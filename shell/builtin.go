package shell

import (
	"fmt"
	"sort"
	"strings"

	"golang.org/x/sys/unix"
)

// builtinFunc runs a builtin; args[0] is its name. It returns the status.
type builtinFunc func(r *Runner, args []string) int

// builtins holds every builtin by name; filled by init functions of the
// files that define them.
var builtins = map[string]builtinFunc{}

// specialBuiltins are POSIX's special builtins: found before functions,
// their assignments persist, their errors end a script.
var specialBuiltins = map[string]bool{
	":": true, ".": true, "break": true, "continue": true, "eval": true, "exec": true,
	"exit": true, "export": true, "readonly": true, "return": true, "set": true,
	"shift": true, "times": true, "trap": true, "unset": true,
}

func isSpecialBuiltin(name string) bool { return specialBuiltins[name] }

// runBuiltin runs a builtin by name.
func (r *Runner) runBuiltin(name string, args []string) int {
	fn := builtins[name]
	if fn == nil {
		r.errorf("%s: not a builtin", name)
		return 1
	}
	st := fn(r, args)
	return st
}

// builtinNames returns the names of all builtins, sorted.
func builtinNames() []string {
	names := make([]string, 0, len(builtins))
	for n := range builtins {
		names = append(names, n)
	}
	sort.Strings(names)
	return names
}

// usageError reports bad usage of a builtin; special builtins end a
// non-interactive shell.
func (r *Runner) usageError(name, format string, a ...any) int {
	r.errorf("%s: %s", name, fmt.Sprintf(format, a...))
	if isSpecialBuiltin(name) && r.specialErrorExits() {
		r.exit(2)
	}
	return 2
}

// specialErrorExits reports whether an error in a special builtin ends the
// shell: in a non-interactive shell, unless `command` runs the builtin.
func (r *Runner) specialErrorExits() bool {
	return !r.opts.interactive && r.viaCommand == 0
}

// out writes a string to standard output, turning a broken pipe into the
// end of this subshell (as SIGPIPE would end a process).
func (r *Runner) out(s string) int {
	return r.outBytes([]byte(s))
}

func (r *Runner) outBytes(b []byte) int {
	fd := r.fdOf(1)
	if fd < 0 {
		r.errorf("write error: Bad file descriptor")
		return 1
	}
	if err := writeFd(fd, b); err != nil {
		return r.writeError(err)
	}
	return 0
}

// writeError handles a failed write to standard output.
func (r *Runner) writeError(err error) int {
	if err == errEPIPE {
		if cmd, ok := r.traps.cmds[int(unix.SIGPIPE)]; ok {
			// SIGPIPE ignored (trap '' PIPE) or trapped: the write
			// fails, as in bash; the shell's own trap runs after the
			// command (the kernel's signal was taken back: see
			// writeFdNoSigpipe)
			if cmd != "" && r.subshellDepth == 0 {
				r.sh.sig.raise(unix.SIGPIPE)
			}
			r.errorf("write error: %s", ErrorText(err))
			return 1
		}
		if r.subshellDepth > 0 || !r.opts.interactive {
			r.exit(141)
		}
		return 141
	}
	r.errorf("write error: %s", ErrorText(err))
	return 1
}

// builtinGetopt is a small POSIX getopt for builtins: spec lists the option
// letters, a letter followed by ':' takes an argument. It returns the
// options in order and the remaining operands, or the bad option.
type optArg struct {
	c   byte
	arg string
}

func builtinGetopt(args []string, spec string) (opts []optArg, rest []string, bad string, missing bool) {
	i := 0
	for ; i < len(args); i++ {
		a := args[i]
		if a == "--" {
			i++
			break
		}
		if len(a) < 2 || a[0] != '-' {
			break
		}
		for j := 1; j < len(a); j++ {
			c := a[j]
			k := strings.IndexByte(spec, c)
			if k < 0 || c == ':' {
				return nil, nil, "-" + string(c), false
			}
			if k+1 < len(spec) && spec[k+1] == ':' {
				if j+1 < len(a) {
					opts = append(opts, optArg{c, a[j+1:]})
				} else if i+1 < len(args) {
					i++
					opts = append(opts, optArg{c, args[i]})
				} else {
					return nil, nil, "-" + string(c), true
				}
				break
			}
			opts = append(opts, optArg{c: c})
		}
	}
	return opts, args[i:], "", false
}

// optError reports a bad option found by builtinGetopt, with the
// builtin's usage line, and returns status 2.
func (r *Runner) optError(name, bad string, missing bool, usage string) int {
	if missing {
		r.errorf("%s: %s: option requires an argument", name, bad)
	} else {
		r.errorf("%s: %s: invalid option", name, bad)
	}
	r.errWrite(usage)
	return 2
}
