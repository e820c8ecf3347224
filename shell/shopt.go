package shell

import (
	"fmt"
	"sort"
	"strings"
)

// shoptNames are the bash shopt options spork knows; the glob ones switch
// word expansion to expand's globbing.
var shoptNames = []string{"dotglob", "expand_aliases", "extglob", "failglob", "globstar", "nocaseglob", "nocasematch", "nullglob", "lastpipe", "inherit_errexit"}

// shoptStubs are bash options spork accepts and lists without acting on
// them, so that scripts written for bash can set them.
var shoptStubs = []string{"autocd", "cdable_vars", "cdspell", "checkhash", "checkjobs", "checkwinsize",
	"cmdhist", "direxpand", "dirspell", "execfail", "extquote", "force_fignore", "globasciiranges",
	"globskipdots", "gnu_errfmt", "histappend", "histreedit", "histverify", "hostcomplete", "huponexit",
	"interactive_comments", "lithist", "localvar_inherit", "localvar_unset",
	"mailwarn", "no_empty_cmd_completion", "progcomp", "progcomp_alias", "promptvars", "shift_verbose",
	"sourcepath", "xpg_echo"}

// SetShopt sets or unsets a shopt option, as spork -O name does.
func (r *Runner) SetShopt(name string, on bool) error {
	flag := "-u"
	if on {
		flag = "-s"
	}
	if shoptBuiltin(r, []string{"shopt", flag, name}) != 0 {
		return fmt.Errorf("%s: invalid shell option name", name)
	}
	return nil
}

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
		names = append(append([]string(nil), shoptNames...), shoptStubs...)
		sort.Strings(names)
	}
	st := 0
	for _, n := range names {
		known := false
		for _, k := range shoptNames {
			known = known || k == n
		}
		for _, k := range shoptStubs {
			known = known || k == n
		}
		if !known {
			r.errorf("shopt: %s: invalid shell option name", n)
			if !on && !off {
				return 2 // a query stops at the first bad name (as osh)
			}
			st = 2 // as osh; bash says 1
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
				r.out(fmt.Sprintf("%-15s\t%s\n", n, state)) // as bash
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
			v := d.get(&r.opts)
			if !v {
				st = 1
			}
			if quiet {
				continue
			}
			r.out(optionLine(n, v, print))
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
