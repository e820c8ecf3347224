package shell

import (
	"sort"
	"strings"
)

func init() {
	builtins["alias"] = aliasBuiltin
	builtins["caller"] = callerBuiltin
	builtins["unalias"] = unaliasBuiltin
}

// aliasBuiltin defines and lists aliases. Listings are alias commands
// (alias name='value'), as bash prints them and as a script can run again;
// dash leaves out the word alias.
func aliasBuiltin(r *Runner, args []string) int {
	args = args[1:]
	listAll := false // alias -p lists every alias, before the named ones
	for len(args) > 0 && (args[0] == "-p" || args[0] == "--") {
		if args[0] == "-p" {
			listAll = true
		}
		args = args[1:]
	}
	if len(args) > 0 && len(args[0]) > 1 && args[0][0] == '-' {
		r.errorf("alias: %s: invalid option", args[0][:2])
		r.errWrite("alias: usage: alias [-p] [name[=value] ... ]\n")
		return 2
	}
	var b strings.Builder
	if len(args) == 0 || listAll {
		names := make([]string, 0, len(r.aliases.m))
		for n := range r.aliases.m {
			names = append(names, n)
		}
		sort.Strings(names)
		for _, n := range names {
			b.WriteString("alias " + n + "=" + singleQuote(r.aliases.m[n]) + "\n")
		}
		if len(args) == 0 {
			return r.out(b.String())
		}
	}
	st := 0
	for _, a := range args {
		name, value, ok := strings.Cut(a, "=")
		if ok {
			if name == "" || strings.ContainsAny(name, "/$`=\\ \t\n'\"|&;()<>") {
				r.errorf("alias: `%s': invalid alias name", name)
				st = 1
				continue
			}
			r.setAlias(name, value, false)
			continue
		}
		v, found := r.aliases.m[name]
		if !found {
			if b.Len() > 0 {
				if s := r.out(b.String()); s != 0 {
					return s
				}
				b.Reset()
			}
			r.errorf("alias: %s: not found", name)
			st = 1
			continue
		}
		b.WriteString("alias " + name + "=" + singleQuote(v) + "\n")
	}
	if b.Len() > 0 {
		if s := r.out(b.String()); s != 0 {
			return s
		}
	}
	return st
}

func unaliasBuiltin(r *Runner, args []string) int {
	args = args[1:]
	all := false
	for len(args) > 0 && len(args[0]) > 1 && args[0][0] == '-' {
		if args[0] == "--" {
			args = args[1:]
			break
		}
		if args[0] == "-a" {
			all = true
			args = args[1:]
			continue
		}
		r.errorf("unalias: %s: invalid option", args[0][:2])
		r.errWrite("unalias: usage: unalias [-a] name [name ...]\n")
		return 2
	}
	if all {
		for n := range r.aliases.m {
			r.setAlias(n, "", true)
		}
		return 0
	}
	if len(args) == 0 {
		r.errWrite("unalias: usage: unalias [-a] name [name ...]\n")
		return 2
	}
	st := 0
	for _, n := range args {
		if _, ok := r.aliases.m[n]; !ok {
			r.errorf("unalias: %s: not found", n)
			st = 1
			continue
		}
		r.setAlias(n, "", true)
	}
	return st
}
