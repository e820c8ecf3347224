package shell

// enable turns builtins off and on, as in bash: a disabled builtin is not
// found by command search (nor by type, command, builtin or hash), so the
// program of that name runs. The set of disabled builtins
// belongs to the shell state: a subshell's change stays in the subshell.

const enableUsage = "enable: usage: enable [-a] [-dnps] [-f filename] [name ...]\n"

// hasBuiltin reports whether name is an enabled builtin.
func (r *Runner) hasBuiltin(name string) bool {
	return builtins[name] != nil && !r.disabled[name]
}

// isSpecial reports whether name is an enabled special builtin.
func (r *Runner) isSpecial(name string) bool {
	return isSpecialBuiltin(name) && !r.disabled[name]
}

// setDisabled turns the builtin name off or on. The set is copied on
// write, so that the states sharing it (subshells, jobs) keep theirs.
func (r *Runner) setDisabled(name string, off bool) {
	if r.disabled[name] == off {
		return
	}
	m := make(map[string]bool, len(r.disabled)+1)
	for n := range r.disabled {
		m[n] = true
	}
	if off {
		m[name] = true
	} else {
		delete(m, name)
	}
	r.disabled = m
}

func enableBuiltin(r *Runner, args []string) int {
	var all, disable, print, special, unload bool
	file := ""
	opts, names, bad, missing := builtinGetopt(args[1:], "adnpsf:")
	if bad != "" {
		return r.optError("enable", bad, missing, enableUsage)
	}
	for _, o := range opts {
		switch o.c {
		case 'a':
			all = true
		case 'd':
			unload = true
		case 'n':
			disable = true
		case 'p':
			print = true
		case 's':
			special = true
		case 'f':
			file = o.arg
		}
	}
	if file != "" {
		r.errorf("enable: %s: cannot load: loadable builtins are not supported", file)
		return 1
	}
	if len(names) == 0 || print {
		var out []byte
		for _, n := range builtinNames() {
			off := r.disabled[n]
			if special && !isSpecialBuiltin(n) || !all && off != disable {
				continue
			}
			if off {
				out = append(out, "enable -n "+n+"\n"...)
			} else {
				out = append(out, "enable "+n+"\n"...)
			}
		}
		return r.outBytes(out)
	}
	st := 0
	for _, n := range names {
		switch {
		case builtins[n] == nil:
			r.errorf("enable: %s: not a shell builtin", n)
			st = 1
		case unload:
			r.errorf("enable: %s: not dynamically loaded", n)
			st = 1
		default:
			r.setDisabled(n, disable)
		}
	}
	return st
}

func init() {
	builtins["enable"] = enableBuiltin
	builtinHelp["enable"] = "enable [-a] [-dnps] [-f filename] [name ...] - enable and disable shell builtins"
}
