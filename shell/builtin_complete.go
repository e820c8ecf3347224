package shell

import (
	"sort"
	"strings"

	"mvdan.cc/sh/v3/expand"
)

func init() {
	builtins["compgen"] = compgenBuiltin
	builtins["complete"] = completeBuiltin
	builtins["compopt"] = compoptBuiltin
	builtinHelp["compgen"] = "compgen [-abcdefgjksuv] [-o option] [-A action] [-G globpat] [-W wordlist] [-F function] [-C command] [-X filterpat] [-P prefix] [-S suffix] [word] - print the completions of word"
	builtinHelp["complete"] = "complete [-abcdefgjksuv] [-pr] [-DEI] [-o option] [-A action] [-G globpat] [-W wordlist] [-F function] [-C command] [-X filterpat] [-P prefix] [-S suffix] [name ...] - say how the arguments of commands are completed"
	builtinHelp["compopt"] = "compopt [-o|+o option] [-DEI] [name ...] - change the options of a completion"
}

const (
	completeUsage = "complete: usage: complete [-abcdefgjksuv] [-pr] [-DEI] [-o option] [-A action] [-G globpat] [-W wordlist] [-F function] [-C command] [-X filterpat] [-P prefix] [-S suffix] [name ...]\n"
	compgenUsage  = "compgen: usage: compgen [-abcdefgjksuv] [-o option] [-A action] [-G globpat] [-W wordlist] [-F function] [-C command] [-X filterpat] [-P prefix] [-S suffix] [word]\n"
	compoptUsage  = "compopt: usage: compopt [-o|+o option] [-DEI] [name ...]\n"
)

// compFlags is what the options of complete or compgen say.
type compFlags struct {
	spec          compSpec
	print, remove bool
	dflt, empty   bool    // -D, -E
	initial       bool    // -I
	optsOff       compOpt // compopt +o
}

// parseCompFlags reads the options of complete, compgen or compopt
// (name), and returns the operands; status 2 after a usage error.
func (r *Runner) parseCompFlags(name string, args []string) (*compFlags, []string, int) {
	f := &compFlags{}
	usage := map[string]string{"complete": completeUsage, "compgen": compgenUsage, "compopt": compoptUsage}[name]
	bad := func(format string, a ...any) (*compFlags, []string, int) {
		r.errorf(format, a...)
		r.errWrite(usage)
		return nil, nil, 2
	}
	withArg := "oAGWFCXPS"
	letters := "abcdefgjksuvprDEI"
	if name == "compopt" {
		withArg, letters = "o", "DEI"
	}
	for len(args) > 0 {
		a := args[0]
		if a == "--" {
			args = args[1:]
			break
		}
		if len(a) < 2 {
			break
		}
		plus := a[0] == '+' && name == "compopt"
		if a[0] != '-' && !plus {
			break
		}
		args = args[1:]
		for i := 1; i < len(a); i++ {
			c := a[i]
			if strings.IndexByte(withArg, c) >= 0 {
				val := a[i+1:]
				if val == "" {
					if len(args) == 0 {
						return bad("%s: -%c: option requires an argument", name, c)
					}
					val, args = args[0], args[1:]
				}
				if plus && c != 'o' {
					return bad("%s: +%c: invalid option", name, c)
				}
				switch c {
				case 'o':
					bit, ok := compOptByName(val)
					if !ok {
						r.errorf("%s: %s: invalid option name", name, val)
						return nil, nil, 2
					}
					if plus {
						f.optsOff |= bit
					} else {
						f.spec.opts |= bit
					}
				case 'A':
					found := false
					for j, act := range compActions {
						if act.name == val {
							f.spec.actions |= 1 << j
							found = true
						}
					}
					if !found {
						r.errorf("%s: %s: invalid action name", name, val)
						return nil, nil, 2
					}
				default:
					f.spec.setArg(c, val)
				}
				break
			}
			if plus || strings.IndexByte(letters, c) < 0 {
				sign := "-"
				if plus {
					sign = "+"
				}
				return bad("%s: %s%c: invalid option", name, sign, c)
			}
			switch c {
			case 'p':
				f.print = true
			case 'r':
				f.remove = true
			case 'D':
				f.dflt = true
			case 'E':
				f.empty = true
			case 'I':
				f.initial = true
			default:
				for j, act := range compActions {
					if act.short == c {
						f.spec.actions |= 1 << j
					}
				}
			}
		}
	}
	return f, args, 0
}

// compgenBuiltin prints the completions of its word argument, one a line.
func compgenBuiltin(r *Runner, args []string) int {
	f, args, st := r.parseCompFlags("compgen", args[1:])
	if f == nil {
		return st
	}
	word := ""
	if len(args) > 0 {
		word = args[0]
	}
	spec := f.spec
	if spec == (compSpec{}) {
		return 0 // nothing asked, nothing generated (bash)
	}
	out := r.generate(&spec, word, []string{"compgen", word, ""})
	if len(out) == 0 && spec.opts&coptDefault != 0 {
		out = r.actionMatches("file", word)
	}
	if len(out) == 0 {
		return 1
	}
	var b strings.Builder
	for _, s := range out {
		b.WriteString(s)
		b.WriteByte('\n')
	}
	return r.out(b.String())
}

// withSpecialKeys adds the keys of the -D, -E and -I compspecs to names when
// those flags were given.
func (f *compFlags) withSpecialKeys(names []string) []string {
	if f.dflt {
		names = append(names, compDefaultKey)
	}
	if f.empty {
		names = append(names, compEmptyKey)
	}
	if f.initial {
		names = append(names, compInitialKey)
	}
	return names
}

// completeBuiltin defines, lists and removes compspecs.
func completeBuiltin(r *Runner, args []string) int {
	f, names, st := r.parseCompFlags("complete", args[1:])
	if f == nil {
		return st
	}
	cs := r.compState()
	names = f.withSpecialKeys(names)
	switch {
	case f.remove:
		if len(names) == 0 {
			clear(cs.specs)
			return 0
		}
		status := 0
		for _, n := range names {
			if _, ok := cs.specs[n]; !ok {
				r.errorf("complete: %s: no completion specification", compName(n))
				status = 1
				continue
			}
			delete(cs.specs, n)
		}
		return status
	case f.print || (len(names) == 0 && f.spec == compSpec{}):
		status := 0
		if len(names) == 0 {
			for n := range cs.specs {
				names = append(names, n)
			}
			sort.Strings(names)
		}
		var b strings.Builder
		for _, n := range names {
			spec, ok := cs.specs[n]
			if !ok {
				r.errorf("complete: %s: no completion specification", compName(n))
				status = 1
				continue
			}
			b.WriteString(spec.String(n))
		}
		if b.Len() > 0 {
			if st := r.out(b.String()); st != 0 {
				return st
			}
		}
		return status
	}
	if len(names) == 0 {
		r.errWrite(completeUsage)
		return 2
	}
	for _, n := range names {
		spec := f.spec
		cs.specs[n] = &spec
	}
	return 0
}

// compName is how messages name a compspec's key.
func compName(key string) string {
	switch key {
	case compDefaultKey:
		return "-D"
	case compEmptyKey:
		return "-E"
	case compInitialKey:
		return "-I"
	}
	return key
}

// String is the complete command that defines cs for key, as complete -p
// prints it: eval re-creates the spec.
func (cs *compSpec) String(key string) string {
	var b strings.Builder
	b.WriteString("complete")
	for _, o := range compOptNames {
		if cs.opts&o.bit != 0 {
			b.WriteString(" -o " + o.name)
		}
	}
	for i, a := range compActions {
		if cs.actions&(1<<i) != 0 && a.short != 0 {
			b.WriteString(" -" + string(a.short))
		}
	}
	for i, a := range compActions {
		if cs.actions&(1<<i) != 0 && a.short == 0 {
			b.WriteString(" -A " + a.name)
		}
	}
	for a := range compArgLetters {
		if val, ok := cs.arg(compArg(a)); ok {
			if compArg(a) != argFunc {
				val = singleQuote(val)
			}
			b.WriteString(" -" + compArgLetters[a:a+1] + " " + val)
		}
	}
	switch {
	case key == compDefaultKey:
		b.WriteString(" -D\n")
	case key == compEmptyKey:
		b.WriteString(" -E\n")
	case key == compInitialKey:
		b.WriteString(" -I\n")
	case strings.HasPrefix(key, "-"):
		// bash prints no --, and its output then fails to re-read
		b.WriteString(" -- " + shellQuote(key) + "\n")
	default:
		b.WriteString(" " + shellQuote(key) + "\n")
	}
	return b.String()
}

// compoptBuiltin changes the options of the completion being run, or of
// the named compspecs, or prints them.
func compoptBuiltin(r *Runner, args []string) int {
	f, names, st := r.parseCompFlags("compopt", args[1:])
	if f == nil {
		return st
	}
	cs := r.compState()
	names = f.withSpecialKeys(names)
	var targets []*compOpt
	if len(names) == 0 {
		if cs.current == nil {
			r.errorf("compopt: not currently executing completion function")
			return 1
		}
		targets = append(targets, cs.current)
		names = append(names, "")
	} else {
		for _, n := range names {
			spec, ok := cs.specs[n]
			if !ok {
				r.errorf("compopt: %s: no completion specification", compName(n))
				return 1
			}
			targets = append(targets, &spec.opts)
		}
	}
	if f.spec.opts == 0 && f.optsOff == 0 {
		var b strings.Builder
		for i, t := range targets {
			b.WriteString("compopt")
			for _, o := range compOptNames {
				if *t&o.bit != 0 {
					b.WriteString(" -o " + o.name)
				} else {
					b.WriteString(" +o " + o.name)
				}
			}
			if names[i] != "" {
				b.WriteString(" " + compName(names[i]))
			}
			b.WriteByte('\n')
		}
		return r.out(b.String())
	}
	for _, t := range targets {
		*t = (*t | f.spec.opts) &^ f.optsOff
	}
	return 0
}

// runCompFunction calls the completion function name with args and
// returns its COMPREPLY.
func (r *Runner) runCompFunction(name string, args []string) []string {
	body, ok := r.funcs.m[name]
	if !ok {
		r.errorf("completion: function `%s' not found", name)
		return nil
	}
	r.Set("COMPREPLY", expand.Variable{})
	r.compState().funcStatus = r.callFunc(body, append([]string{name}, args...))
	reply := r.Get("COMPREPLY")
	var out []string
	if reply.IsSet() {
		switch reply.Kind {
		case expand.Indexed:
			out = append(out, reply.List...)
		case expand.Associative:
			for _, k := range assocOrder(reply.Map) {
				out = append(out, reply.Map[k])
			}
		default:
			out = append(out, reply.String())
		}
	}
	r.Set("COMPREPLY", expand.Variable{})
	return out
}

// runCompCommand runs a -C command with args and takes its output lines.
func (r *Runner) runCompCommand(command string, args []string) []string {
	saved := r.params
	r.params = args
	s := r.expandCompWord(`"$(` + command + ` "$@")"`)
	r.params = saved
	if s == "" {
		return nil
	}
	return strings.Split(s, "\n")
}
