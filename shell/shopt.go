package shell

import "strings"

// shoptNames are the bash shopt options spork knows; the glob ones switch
// word expansion to expand's globbing.
var shoptNames = []string{"dotglob", "expand_aliases", "extglob", "failglob", "globstar", "nocaseglob", "nocasematch", "nullglob", "lastpipe"}

func shoptBuiltin(r *Runner, args []string) int {
	on, off, quiet, print := false, false, false, false
	i := 1
	for ; i < len(args) && strings.HasPrefix(args[i], "-"); i++ {
		for _, c := range args[i][1:] {
			switch c {
			case 's':
				on = true
			case 'u':
				off = true
			case 'q':
				quiet = true
			case 'p':
				print = true
			case 'o':
			default:
				return r.usageError("shopt", "-%c: invalid option", c)
			}
		}
	}
	names := args[i:]
	if len(names) == 0 {
		names = shoptNames
	}
	st := 0
	for _, n := range names {
		known := false
		for _, k := range shoptNames {
			known = known || k == n
		}
		if !known {
			r.errorf("shopt: %s: invalid shell option name", n)
			st = 1
			continue
		}
		switch {
		case on:
			r.shopts[n] = true
		case off:
			delete(r.shopts, n)
		default:
			v := r.shopts[n]
			if !v {
				st = 1
			}
			if quiet {
				continue
			}
			if print {
				flag := "-u"
				if v {
					flag = "-s"
				}
				r.out("shopt " + flag + " " + n + "\n")
			} else {
				state := "off"
				if v {
					state = "on"
				}
				r.out(n + "\t" + state + "\n")
			}
		}
	}
	r.ecfg.DotGlob = r.shopts["dotglob"]
	r.ecfg.ExtGlob = r.shopts["extglob"]
	r.ecfg.GlobStar = r.shopts["globstar"]
	r.ecfg.NullGlob = r.shopts["nullglob"]
	r.ecfg.NoCaseGlob = r.shopts["nocaseglob"]
	r.globShopts = r.ecfg.DotGlob || r.ecfg.ExtGlob || r.ecfg.GlobStar || r.ecfg.NullGlob || r.ecfg.NoCaseGlob
	return st
}

func init() { builtins["shopt"] = shoptBuiltin }

// matchCase matches s against pat for case and [[ == ]], ignoring case
// under shopt nocasematch.
func (r *Runner) matchCase(pat, s string) bool {
	if r.shopts["nocasematch"] {
		return matchPattern(strings.ToLower(pat), strings.ToLower(s))
	}
	return matchPattern(pat, s)
}
