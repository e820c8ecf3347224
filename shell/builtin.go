package shell

import (
	"fmt"
	"sort"
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
	if isSpecialBuiltin(name) && !r.opts.interactive {
		r.exit(2)
	}
	return 2
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
		if r.subshellDepth > 0 || !r.opts.interactive {
			r.exit(141)
		}
		return 141
	}
	r.errorf("write error: %s", errnoMessage(err))
	return 1
}
