package shell

func init() {
	builtins["echo"] = echoBuiltin
}

// echoBuiltin implements echo with bash's semantics: -n, -e and -E (also
// combined), escapes only with -e, any other option word printed as is.
func echoBuiltin(r *Runner, args []string) int {
	args = args[1:]
	newline, escapes := true, false
	for len(args) > 0 {
		a := args[0]
		if len(a) < 2 || a[0] != '-' || !echoOptions(a[1:]) {
			break
		}
		for i := 1; i < len(a); i++ {
			switch a[i] {
			case 'n':
				newline = false
			case 'e':
				escapes = true
			case 'E':
				escapes = false
			}
		}
		args = args[1:]
	}
	n := 1
	for _, a := range args {
		n += len(a) + 1
	}
	buf := make([]byte, 0, n)
	for i, a := range args {
		if i > 0 {
			buf = append(buf, ' ')
		}
		if escapes {
			var stop bool
			buf, stop = appendEscapes(buf, a, true)
			if stop {
				return r.outBytes(buf)
			}
		} else {
			buf = append(buf, a...)
		}
	}
	if newline {
		buf = append(buf, '\n')
	}
	return r.outBytes(buf)
}

func echoOptions(s string) bool {
	for i := 0; i < len(s); i++ {
		if s[i] != 'n' && s[i] != 'e' && s[i] != 'E' {
			return false
		}
	}
	return true
}
