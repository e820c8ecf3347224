package shell

import (
	"fmt"
	"math"
	"strconv"
	"strings"
	"time"

	"github.com/spork-sh/spork/exec"
	"golang.org/x/sys/unix"
	"mvdan.cc/sh/v3/expand"
)

func init() {
	builtins[":"] = func(r *Runner, args []string) int { return 0 }
	builtins["true"] = func(r *Runner, args []string) int { return 0 }
	builtins["false"] = func(r *Runner, args []string) int { return 1 }
	builtins["break"] = loopBuiltin(ctlBreak)
	builtins["continue"] = loopBuiltin(ctlContinue)
	builtins["exit"] = exitBuiltin
	builtins["return"] = returnBuiltin
	builtins["set"] = setBuiltin
	builtins["shift"] = shiftBuiltin
	builtins["times"] = timesBuiltin
	builtins["trap"] = trapBuiltin
	builtins["unset"] = unsetBuiltin
	builtins["exec"] = execBuiltin
}

func loopBuiltin(kind ctlKind) builtinFunc {
	return func(r *Runner, args []string) int {
		n := 1
		if len(args) > 2 {
			return r.usageError(args[0], "too many arguments")
		}
		if len(args) > 1 {
			v, err := strconv.Atoi(args[1])
			if err != nil || v < 1 {
				return r.usageError(args[0], "%s: loop count out of range", args[1])
			}
			n = v
		}
		if r.loopDepth == 0 {
			if r.outerLoops > 0 {
				// the loop is outside this subshell: the subshell
				// ends, as an error (osh)
				r.errorf("%s: cannot leave a subshell's enclosing loop", args[0])
				r.exit(1)
				return 1
			}
			return 0
		}
		if n > r.loopDepth {
			n = r.loopDepth
		}
		r.ctl, r.ctlN = kind, n
		return 0
	}
}

func exitBuiltin(r *Runner, args []string) int {
	if r.opts.interactive && r.subshellDepth == 0 {
		r.errWrite("exit\n")
		if !r.leaveAllowed() {
			return 1
		}
	}
	// as osh: a bad status is a runtime error (1), and extra arguments
	// a usage error (2); either way the shell exits
	st := 2
	if len(args) > 2 {
		r.errorf("exit: too many arguments")
	} else if _, err := strconv.Atoi(args[len(args)-1]); len(args) == 2 && err != nil {
		r.errorf("exit: %s: numeric argument required", args[1])
		st = 1
	} else {
		st = r.statusArg(args)
	}
	r.exit(st)
	return st
}

func returnBuiltin(r *Runner, args []string) int {
	st := r.statusArg(args)
	if len(args) > 1 {
		if v, err := strconv.ParseInt(args[1], 10, 64); err == nil && (v > math.MaxInt32 || v < math.MinInt32) {
			// as osh: a status that cannot be an int is an error, not
			// truncated as bash does
			r.errorf("return: %s: expected a small integer", args[1])
			st = 1
		}
	}
	if r.funcDepth == 0 && r.sourceDepth == 0 {
		// return outside a function or sourced script leaves the
		// (sub)shell, as in dash and osh
		r.exit(st)
		return st
	}
	r.ctl = ctlReturn
	r.lastStatus = st
	return st
}

func setBuiltin(r *Runner, args []string) int {
	if len(args) == 1 {
		r.printVars("set", false, false, false, nil)
		return 0
	}
	i := 1
	for ; i < len(args); i++ {
		a := args[i]
		if a == "--" {
			i++
			r.params = append([]string(nil), args[i:]...)
			r.paramsSet++
			return 0
		}
		if a == "-" {
			r.opts.xtrace, r.opts.verbose = false, false
			i++
			break
		}
		if a == "+" {
			continue // a lone + is an empty flag word
		}
		if len(a) < 2 || (a[0] != '-' && a[0] != '+') {
			break
		}
		on := a[0] == '-'
		for j := 1; j < len(a); j++ {
			c := a[j]
			if c == 'o' {
				if i+1 >= len(args) {
					r.printOptions(!on)
					continue
				}
				i++
				if err := r.SetOption(args[i], on); err != nil {
					// An unknown long name is not fatal, as in bash: the
					// suite expects a script to go on in two cases (and to
					// end, as in dash, in one).
					r.errorf("set: %v", err)
					return 2
				}
				continue
			}
			if err := r.SetFlag(c, on); err != nil {
				return r.usageError("set", "%v", err)
			}
		}
	}
	if i < len(args) {
		r.params = append([]string(nil), args[i:]...)
		r.paramsSet++
	}
	return 0
}

func shiftBuiltin(r *Runner, args []string) int {
	n := 1
	if len(args) > 2 {
		return r.usageError("shift", "too many arguments")
	}
	if len(args) > 1 {
		v, err := strconv.Atoi(args[1])
		if err != nil || v < 0 {
			return r.usageError("shift", "%s: numeric argument required", args[1])
		}
		n = v
	}
	if n > len(r.params) {
		// POSIX lets a shell exit here or go on; bash goes on, silently
		// (in its POSIX mode too), dash exits. Scripts written for bash
		// shift optional arguments away this way, so spork goes on.
		return 1
	}
	r.params = r.params[n:]
	return 0
}

func timesBuiltin(r *Runner, args []string) int {
	var self, kids unix.Rusage
	unix.Getrusage(unix.RUSAGE_SELF, &self)
	unix.Getrusage(unix.RUSAGE_CHILDREN, &kids)
	f := func(t unix.Timeval) string {
		d := time.Duration(t.Nano())
		m := int(d.Minutes())
		s := d.Seconds() - float64(m*60)
		return fmt.Sprintf("%dm%.3fs", m, s)
	}
	return r.out(fmt.Sprintf("%s %s\n%s %s\n", f(self.Utime), f(self.Stime), f(kids.Utime), f(kids.Stime)))
}

func trapBuiltin(r *Runner, args []string) int {
	args = args[1:]
	if len(args) > 0 && args[0] == "--" {
		args = args[1:]
	}
	if len(args) == 0 || args[0] == "-p" {
		var names []string
		if len(args) > 1 {
			names = args[1:]
		}
		return r.printTraps(names)
	}
	if args[0] == "-l" {
		return killList(r, nil)
	}
	action := args[0]
	sigs := args[1:]
	reset := false
	if _, err := strconv.Atoi(action); err == nil && len(args) >= 1 {
		// trap N...: reset those signals
		reset = true
		sigs = args
	} else if action == "-" {
		reset = true
	}
	if len(sigs) == 0 {
		if n, ok := signalNumber(action); ok {
			r.setTrap(n, "", true)
			return 0
		}
		// a lone command without signals: a usage error that, as in bash,
		// does not end the script
		r.errorf("trap: usage: trap [-lp] [[arg] signal_spec ...]")
		return 2
	}
	if !reset && action != "" {
		// code that cannot parse is refused when the trap is set (as osh;
		// bash and dash complain only when it runs)
		if _, err := newParser().Parse(strings.NewReader(action), ""); err != nil {
			if _, ok := deferArithErrors(action, err); !ok {
				r.syntaxError(err)
				return 1
			}
		}
	}
	st := 0
	for _, s := range sigs {
		n, ok := signalNumber(s)
		if !ok {
			r.errorf("trap: %s: invalid signal specification", s)
			st = 1
			continue
		}
		// KILL and STOP are accepted (and listed) as bash and dash do,
		// though they cannot be caught
		r.setTrap(n, action, reset)
	}
	return st
}

func (r *Runner) printTraps(names []string) int {
	cmds := r.traps.cmds
	if r.traps.inherited != nil {
		cmds = r.traps.inherited
	}
	show := func(n int) {
		cmd, ok := cmds[n]
		if !ok {
			return
		}
		name := signalName(n)
		if n != 0 && n < trapERR {
			name = "SIG" + name
		}
		r.out(fmt.Sprintf("trap -- %s %s\n", singleQuote(cmd), name))
	}
	if len(names) > 0 {
		st := 0
		for _, s := range names {
			if n, ok := signalNumber(s); ok {
				show(n)
			} else {
				r.errorf("trap: %s: invalid signal specification", s)
				st = 1
			}
		}
		return st
	}
	for n := 0; n < trapERR; n++ {
		show(n)
	}
	show(trapDEBUG) // in bash's order
	show(trapERR)
	show(trapRETURN)
	return 0
}

func unsetBuiltin(r *Runner, args []string) int {
	funcs, vars, ref := false, false, false
	opts, names, bad, _ := builtinGetopt(args[1:], "fvn")
	if bad != "" {
		return r.usageError("unset", "%s: invalid option", bad)
	}
	for _, o := range opts {
		switch o.c {
		case 'f':
			funcs = true
		case 'v':
			vars = true
		case 'n':
			ref = true
		}
	}
	st := 0
	for _, name := range names {
		if !ref && !funcs && checkName(name) {
			name = r.refTarget(name) // unset r unsets what r refers to
		}
		if funcs && !vars {
			r.setFunc(name, nil)
			continue
		}
		if idx := strings.IndexByte(name, '['); idx > 0 && strings.HasSuffix(name, "]") {
			if sub := name[idx+1 : len(name)-1]; sub == "@" || sub == "*" {
				// unset 'a[@]' empties an indexed array, keeping its
				// attributes (bash 5.2 takes @ as a key of an associative one)
				if v := r.Get(r.refTarget(name[:idx])); v.Kind == expand.Indexed && !v.ReadOnly {
					v.List, v.Indexes = nil, nil
					r.Set(r.refTarget(name[:idx]), v)
					continue
				}
			}
			r.unsetIndex(name[:idx], name[idx+1:len(name)-1])
			continue
		}
		if !checkName(name) {
			r.errorf("unset: `%s': not a valid identifier", name)
			st = 2 // as osh; bash says 1
			continue
		}
		v, _ := r.lookup(name)
		if v.ReadOnly {
			// bash (and osh) go on with status 1; dash ends the script
			r.errorf("unset: %s: cannot unset: readonly variable", name)
			st = 1
			continue
		}
		if !v.Declared() && !vars {
			if _, ok := r.funcs.m[name]; ok {
				r.setFunc(name, nil)
				continue
			}
		}
		r.ownVars()
		if r.attrOf(name) != 0 {
			r.setAttr(name, 0, v.Local)
		}
		// The binding goes, local or not: a variable of an outer scope
		// (a caller's local, a prefix assignment, a global) shows again,
		// as in osh (bash keeps an unset local in the same function).
		if _, sc := r.lookup(name); sc != nil {
			delete(sc, name)
		}
		r.varChanged(name)
	}
	return st
}

// execBuiltin replaces the shell with a program, or with no program makes
// its redirections permanent.
func execBuiltin(r *Runner, args []string) int {
	args = args[1:]
	for len(args) > 0 && strings.HasPrefix(args[0], "-") {
		if args[0] == "--" {
			args = args[1:]
			break
		}
		args = args[1:] // -a name, -c, -l: not supported; ignored
	}
	if len(args) == 0 {
		r.keepRedirs = true
		return 0
	}
	path, st := args[0], 0
	if strings.IndexByte(path, '/') < 0 {
		if path = r.lookPath(args[0]); path == "" {
			r.errorf("exec: %s: not found", args[0]) // bash and dash
			st = 127
		}
	}
	if st != 0 {
		if !r.opts.interactive {
			r.exit(st)
		}
		return st
	}
	// spork cannot replace itself while goroutines run; it runs the program
	// and exits with its status, which is what scripts observe.
	r.runExitTrapBeforeExec()
	if r.subshellDepth == 0 {
		err := r.execReplace(path, args)
		st := r.launchError(path, args, err)
		r.exit(st)
		return st
	}
	pid, err := r.launch(path, args, nil, r.fds)
	if err != nil {
		st := r.launchError(path, args, err)
		if !r.opts.interactive {
			r.exit(st)
		}
		return st
	}
	st = r.waitPid(pid)
	r.exit(st)
	return st
}

// runExitTrapBeforeExec drops the EXIT trap: an exec'd program replaces
// the shell, so the trap would never run.
func (r *Runner) runExitTrapBeforeExec() {
	delete(r.traps.cmds, 0)
}

// execReplace puts the state's descriptors in place and execs path in the
// shell's own process. It returns only on failure.
func (r *Runner) execReplace(path string, args []string) error {
	n := len(r.fds)
	tmp := make([]int, n)
	for i, f := range r.fds {
		tmp[i] = -1
		if f != nil {
			fd, err := unix.FcntlInt(uintptr(f.fd), unix.F_DUPFD_CLOEXEC, n+10)
			if err != nil {
				return err
			}
			tmp[i] = fd
		}
	}
	for i, fd := range tmp {
		if fd < 0 {
			if i > 2 {
				unix.Close(i)
			}
			continue
		}
		unix.Dup3(fd, i, 0)
		unix.Close(fd)
	}
	reset := r.sh.sig.resetInChildren()
	for sig := 1; sig <= 64; sig++ {
		if reset.Has(unix.Signal(sig)) && !r.traps.ignored.Has(unix.Signal(sig)) {
			setDefaultAction(unix.Signal(sig))
		}
	}
	unix.Umask(r.umask)
	if r.dir != "" {
		unix.Chdir(r.dir)
	}
	err := unix.Exec(r.abs(path), args, r.environ(nil))
	unix.Umask(0) // the shell applies each state's umask itself
	return &exec.Error{Path: path, Step: "execve", Errno: err.(unix.Errno)}
}

// statusArg is the status operand of exit and return: $? when absent, 2
// (after a message) when not a number.
func (r *Runner) statusArg(args []string) int {
	if len(args) < 2 {
		if r.inTrap && (args[0] == "return" || r.inExitTrap) {
			// a bare return in a trap, or exit in the EXIT trap, has
			// the status from before the trap (dash, bash)
			return r.trapStatus
		}
		return r.lastStatus
	}
	v, err := strconv.Atoi(args[1])
	if err != nil {
		r.errorf("%s: %s: numeric argument required", args[0], args[1])
		return 2
	}
	return v & 0xff
}
