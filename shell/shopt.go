package shell

import (
	"fmt"
	"sort"
	"strings"
)

// shoptNames are the bash shopt options spork knows; the glob ones switch
// word expansion to expand's globbing.
var shoptNames = []string{"dotglob", "expand_aliases", "extglob", "failglob", "globstar", "nocaseglob", "nocasematch", "nullglob", "lastpipe"}

func shoptBuiltin(r *Runner, args []string) int {
	on, off, quiet, print, setOpts := false, false, false, false, false
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
				setOpts = true
			default:
				return r.usageError("shopt", "-%c: invalid option", c)
			}
		}
	}
	names := args[i:]
	if setOpts {
		return r.shoptSetOptions(names, on, off, quiet, print)
	}
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
			if !on && !off {
				return 2 // a query stops at the first bad name (as osh)
			}
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

// shoptSetOptions is shopt -o: the same on set -o's options.
func (r *Runner) shoptSetOptions(names []string, on, off, quiet, print bool) int {
	if len(names) == 0 {
		for _, d := range optionDefs {
			names = append(names, d.name)
		}
		sort.Strings(names)
	}
	st := 0
	for _, n := range names {
		d := optionByName(n)
		if d == nil {
			r.errorf("shopt: %s: invalid option name", n)
			if !on && !off {
				return 2 // a query stops at the first bad name (as osh)
			}
			st = 1
			continue
		}
		switch {
		case on, off:
			r.SetOption(n, on)
		default:
			v := *d.field(&r.opts)
			if !v {
				st = 1
			}
			if quiet {
				continue
			}
			if print {
				sign := "+"
				if v {
					sign = "-"
				}
				r.out("set " + sign + "o " + n + "\n")
			} else {
				state := "off"
				if v {
					state = "on"
				}
				r.out(fmt.Sprintf("%-15s\t%s\n", n, state))
			}
		}
	}
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
