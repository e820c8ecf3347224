package shell

import (
	"fmt"
	"strings"
)

func init() {
	builtins["umask"] = umaskBuiltin
}

// umaskBuiltin prints or sets the state's umask (children get it when
// they are launched; the process's own umask is not touched).
func umaskBuiltin(r *Runner, args []string) int {
	symbolic, reuse := false, false
	opts, args, bad, missing := builtinGetopt(args[1:], "Sp")
	if bad != "" {
		return r.optError("umask", bad, missing, "umask: usage: umask [-p] [-S] [mode]\n")
	}
	for _, o := range opts {
		if o.c == 'S' {
			symbolic = true
		} else {
			reuse = true
		}
	}
	if len(args) == 0 {
		var s string
		if symbolic {
			s = umaskSymbolic(r.umask)
			if reuse {
				s = "umask -S " + s
			}
		} else {
			s = fmt.Sprintf("%04o", r.umask)
			if reuse {
				s = "umask " + s
			}
		}
		return r.out(s + "\n")
	}
	if len(args) > 1 {
		r.errorf("umask: too many arguments")
		return 2
	}
	mode := args[0]
	if mode == "" {
		r.errorf("umask: '': invalid mode")
		return 1
	}
	if mode[0] >= '0' && mode[0] <= '9' {
		// Only the low nine bits matter: 1234567 sets 0567.
		n := 0
		for i := 0; i < len(mode); i++ {
			c := mode[i]
			if c < '0' || c > '7' {
				r.errorf("umask: %s: octal number out of range", mode)
				return 1
			}
			n = (n*8 + int(c-'0')) & 0o777
		}
		r.umask = n
		return 0
	}
	perms, err := applySymbolic(^r.umask&0o777, mode)
	if err != "" {
		r.errorf("umask: %s", err)
		return 1
	}
	r.umask = ^perms & 0o777
	if symbolic {
		return r.out(umaskSymbolic(r.umask) + "\n")
	}
	return 0
}

func umaskSymbolic(mask int) string {
	perms := ^mask & 0o777
	part := func(shift int) string {
		var b strings.Builder
		p := perms >> shift & 7
		if p&4 != 0 {
			b.WriteByte('r')
		}
		if p&2 != 0 {
			b.WriteByte('w')
		}
		if p&1 != 0 {
			b.WriteByte('x')
		}
		return b.String()
	}
	return "u=" + part(6) + ",g=" + part(3) + ",o=" + part(0)
}

// applySymbolic applies a chmod-style symbolic mode to permission bits.
// Copies (a=u) and X read the permissions as they were before the mode.
func applySymbolic(perms int, mode string) (int, string) {
	orig := perms
	for _, clause := range strings.Split(mode, ",") {
		i := 0
		who := 0
		for ; i < len(clause); i++ {
			switch clause[i] {
			case 'u':
				who |= 0o700
			case 'g':
				who |= 0o070
			case 'o':
				who |= 0o007
			case 'a':
				who |= 0o777
			default:
				goto ops
			}
		}
	ops:
		if who == 0 {
			who = 0o777
		}
		if i >= len(clause) {
			if i == 0 {
				return 0, "`" + clause + "': invalid symbolic mode operator"
			}
			return 0, fmt.Sprintf("`%c': invalid symbolic mode operator", clause[i-1])
		}
		for i < len(clause) {
			op := clause[i]
			if op != '+' && op != '-' && op != '=' {
				return 0, fmt.Sprintf("`%c': invalid symbolic mode operator", op)
			}
			i++
			bits := 0
			if i < len(clause) && strings.IndexByte("ugo", clause[i]) >= 0 {
				var src int
				switch clause[i] {
				case 'u':
					src = orig >> 6 & 7
				case 'g':
					src = orig >> 3 & 7
				case 'o':
					src = orig & 7
				}
				bits = src<<6 | src<<3 | src
				i++
			} else {
				for ; i < len(clause) && strings.IndexByte("+-=", clause[i]) < 0; i++ {
					switch clause[i] {
					case 'r':
						bits |= 0o444
					case 'w':
						bits |= 0o222
					case 'x':
						bits |= 0o111
					case 'X':
						// execute only when the mask has an execute bit
						if orig&0o111 != 0o111 {
							bits |= 0o111
						}
					case 's', 't':
					default:
						return 0, fmt.Sprintf("`%c': invalid symbolic mode character", clause[i])
					}
				}
			}
			bits &= who
			switch op {
			case '+':
				perms |= bits
			case '-':
				perms &^= bits
			case '=':
				perms = perms&^who | bits
			}
		}
	}
	return perms, ""
}
