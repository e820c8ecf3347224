package shell

import (
	"sort"
	"strings"
)

func init() {
	builtins["type"] = typeBuiltin
	builtins["command"] = commandBuiltin
	builtins["hash"] = hashBuiltin
	builtins["builtin"] = builtinBuiltin
	builtins["help"] = helpBuiltin
}

var shellKeywords = map[string]bool{
	"if": true, "then": true, "else": true, "elif": true, "fi": true, "case": true,
	"esac": true, "for": true, "select": true, "while": true, "until": true, "do": true,
	"done": true, "in": true, "function": true, "time": true, "{": true, "}": true,
	"!": true, "[[": true, "]]": true, "coproc": true,
}

// defaultPath is the PATH of command -p.
const defaultPath = "/usr/local/bin:/usr/bin:/bin:/usr/local/sbin:/usr/sbin:/sbin"

// pathAll returns every executable named name in the directories of path.
func (r *Runner) pathAll(name, path string) []string {
	var out []string
	for dir := range strings.SplitSeq(path, ":") {
		if dir == "" {
			dir = "."
		}
		p := dir + "/" + name
		if isExecutable(r.abs(p)) {
			out = append(out, p)
		}
	}
	return out
}

// findFile finds a program for type/command: a name with a slash is
// itself when executable, anything else is looked up in the hash or PATH.
func (r *Runner) findFile(name string, hashed *bool) string {
	if strings.IndexByte(name, '/') >= 0 {
		if isExecutable(r.abs(name)) {
			return name
		}
		return ""
	}
	if p := r.hashGet(name); p != "" {
		if hashed != nil {
			*hashed = true
		}
		return p
	}
	return r.searchPath(name)
}

// builtinKind describes a builtin for type, as dash does (POSIX's special
// builtins are called out).
func (r *Runner) builtinKind(name string) string {
	if isSpecialBuiltin(name) {
		return "a special shell builtin"
	}
	return "a shell builtin"
}

func typeBuiltin(r *Runner, args []string) int {
	var all, noFuncs, pathOnly, forcePath, kindOnly bool
	opts, names, bad, missing := builtinGetopt(args[1:], "afptP")
	if bad != "" {
		return r.optError("type", bad, missing, "type: usage: type [-afptP] name [name ...]\n")
	}
	for _, o := range opts {
		switch o.c {
		case 'a':
			all = true
		case 'f':
			noFuncs = true
		case 'p':
			pathOnly = true
		case 'P':
			forcePath = true
		case 't':
			kindOnly = true
		}
	}
	st := 0
	var b strings.Builder
	for _, name := range names {
		found := false
		if !forcePath {
			if v, ok := r.aliases.m[name]; ok {
				found = true
				switch {
				case kindOnly:
					b.WriteString("alias\n")
				case !pathOnly:
					b.WriteString(name + " is an alias for " + v + "\n")
				}
			}
			if (!found || all) && shellKeywords[name] {
				found = true
				switch {
				case kindOnly:
					b.WriteString("keyword\n")
				case !pathOnly:
					b.WriteString(name + " is a shell keyword\n")
				}
			}
			// a special builtin is found before a function of its name
			if (!found || all) && !noFuncs && r.funcs.m[name] != nil && (all || !r.isSpecial(name)) {
				found = true
				switch {
				case kindOnly:
					b.WriteString("function\n")
				case !pathOnly:
					b.WriteString(name + " is a shell function\n")
				}
			}
			if (!found || all) && r.hasBuiltin(name) {
				found = true
				switch {
				case kindOnly:
					b.WriteString("builtin\n")
				case !pathOnly:
					b.WriteString(name + " is " + r.builtinKind(name) + "\n")
				}
			}
			if found && !all && pathOnly {
				// type -p prints nothing for non-files, successfully
				continue
			}
		}
		if !found || all || forcePath {
			var paths []string
			hashed := false
			if all && strings.IndexByte(name, '/') < 0 {
				paths = r.pathAll(name, r.getString("PATH"))
			} else if p := r.findFile(name, &hashed); p != "" {
				paths = []string{p}
			}
			for _, p := range paths {
				found = true
				switch {
				case kindOnly:
					b.WriteString("file\n")
				case pathOnly || forcePath:
					b.WriteString(p + "\n")
				case hashed:
					b.WriteString(name + " is hashed (" + p + ")\n")
				default:
					b.WriteString(name + " is " + p + "\n")
				}
				if !all {
					break
				}
			}
		}
		if !found {
			st = 1
			if !kindOnly && !pathOnly && !forcePath {
				if b.Len() > 0 {
					if s := r.out(b.String()); s != 0 {
						return s
					}
					b.Reset()
				}
				r.errorf("type: %s: not found", name)
			}
		}
	}
	if b.Len() > 0 {
		if s := r.out(b.String()); s != 0 {
			return s
		}
	}
	return st
}

func commandBuiltin(r *Runner, args []string) int {
	var usePath, verbose, describe bool
	opts, rest, bad, missing := builtinGetopt(args[1:], "pvV")
	if bad != "" {
		return r.optError("command", bad, missing, "command: usage: command [-pVv] command [arg ...]\n")
	}
	for _, o := range opts {
		switch o.c {
		case 'p':
			usePath = true
		case 'v':
			describe = true
		case 'V':
			verbose = true
		}
	}
	args = rest
	if len(args) == 0 {
		return 0
	}
	if describe || verbose {
		// any name not found fails the whole (zsh, osh; bash says 0 when
		// one is found)
		st := 0
		for _, name := range args {
			if s := r.describeCommand(name, verbose, usePath); s != 0 {
				if r.ctl == ctlExit {
					return s
				}
				st = s
			}
		}
		return st
	}
	name := args[0]
	if r.hasBuiltin(name) {
		r.viaCommand++
		defer func() { r.viaCommand-- }()
		return r.runBuiltin(name, args)
	}
	if usePath && strings.IndexByte(name, '/') < 0 {
		paths := r.pathAll(name, defaultPath)
		if len(paths) == 0 {
			r.errorf("%s: command not found", name)
			return 127
		}
		pid, err := r.launch(paths[0], args, nil, r.fds)
		if err != nil {
			return r.launchError(paths[0], args, err)
		}
		return r.waitPid(pid)
	}
	return r.external(args, nil)
}

// describeCommand implements command -v (verbose false) and -V.
func (r *Runner) describeCommand(name string, verbose, usePath bool) int {
	out := func(s string) int { return r.out(s + "\n") }
	if v, ok := r.aliases.m[name]; ok {
		if verbose {
			return out(name + " is an alias for " + v)
		}
		return out("alias " + name + "=" + singleQuote(v))
	}
	if shellKeywords[name] {
		if verbose {
			return out(name + " is a shell keyword")
		}
		return out(name)
	}
	if r.funcs.m[name] != nil && !r.isSpecial(name) {
		if verbose {
			return out(name + " is a shell function")
		}
		return out(name)
	}
	if r.hasBuiltin(name) {
		if verbose {
			return out(name + " is " + r.builtinKind(name))
		}
		return out(name)
	}
	var p string
	hashed := false
	if usePath && strings.IndexByte(name, '/') < 0 {
		if ps := r.pathAll(name, defaultPath); len(ps) > 0 {
			p = ps[0]
		}
	} else {
		p = r.findFile(name, &hashed)
	}
	if p != "" {
		if verbose {
			if hashed {
				return out(name + " is hashed (" + p + ")")
			}
			return out(name + " is " + p)
		}
		return out(p)
	}
	if verbose {
		r.errorf("command: %s: not found", name)
	}
	return 1
}

func hashBuiltin(r *Runner, args []string) int {
	var reset, del, show, list bool
	setPath := ""
	opts, names, bad, missing := builtinGetopt(args[1:], "rdtlp:")
	if bad != "" {
		return r.optError("hash", bad, missing, "hash: usage: hash [-lr] [-p pathname] [-dt] [name ...]\n")
	}
	for _, o := range opts {
		switch o.c {
		case 'r':
			reset = true
		case 'd':
			del = true
		case 't':
			show = true
		case 'l':
			list = true
		case 'p':
			setPath = o.arg
		}
	}
	if reset {
		r.hashClear()
	}
	if len(names) == 0 {
		if reset {
			return 0
		}
		keys := make([]string, 0, len(r.hash.m))
		for k := range r.hash.m {
			keys = append(keys, k)
		}
		sort.Strings(keys)
		var b strings.Builder
		for _, k := range keys {
			if list {
				b.WriteString("builtin hash -p " + r.hash.m[k] + " " + k + "\n")
			} else {
				// one path a line, as dash lists them (bash adds a table
				// of hit counts)
				b.WriteString(r.hash.m[k] + "\n")
			}
		}
		return r.out(b.String())
	}
	st := 0
	for _, name := range names {
		switch {
		case setPath != "":
			r.hashPut(name, setPath)
		case del:
			if r.hashGet(name) == "" {
				r.errorf("hash: %s: not found", name)
				st = 1
			}
			r.hashDelete(name)
		case show:
			p := r.hashGet(name)
			if p == "" {
				r.errorf("hash: %s: not found", name)
				st = 1
				continue
			}
			if len(names) > 1 {
				p = name + "\t" + p
			}
			if s := r.out(p + "\n"); s != 0 {
				return s
			}
		default:
			if strings.IndexByte(name, '/') >= 0 {
				continue
			}
			if r.hasBuiltin(name) || r.funcs.m[name] != nil {
				continue
			}
			p := r.searchPath(name)
			if p == "" {
				r.errorf("hash: %s: not found", name)
				st = 1
				continue
			}
			r.hashPut(name, p)
		}
	}
	return st
}

func builtinBuiltin(r *Runner, args []string) int {
	if len(args) > 1 && args[1] == "--" {
		args = args[1:]
	}
	if len(args) < 2 {
		return 0
	}
	name := args[1]
	if !r.hasBuiltin(name) {
		r.errorf("builtin: %s: not a shell builtin", name)
		return 1
	}
	return r.runBuiltin(name, args[1:])
}

var builtinHelp = map[string]string{
	":":        ": [arguments] - do nothing, successfully",
	".":        ". filename [arguments] - run a file's commands in this shell",
	"[":        "[ arg... ] - evaluate a conditional expression (like test)",
	"alias":    "alias [-p] [name[=value] ... ] - define or display aliases",
	"break":    "break [n] - exit for, while, or until loops",
	"builtin":  "builtin [shell-builtin [arg ...]] - run a shell builtin",
	"caller":   "caller [expr] - return the context of the current function call",
	"dirs":     "dirs [-clpv] [+N] [-N] - display the directory stack",
	"popd":     "popd [-n] [+N | -N] - remove directories from the stack",
	"pushd":    "pushd [-n] [+N | -N | dir] - add directories to the stack",
	"cd":       "cd [-L|-P] [dir] - change the shell working directory",
	"chdir":    "chdir [-L|-P] [dir] - a synonym for cd",
	"command":  "command [-pVv] command [arg ...] - run a command, skipping functions",
	"continue": "continue [n] - resume the next iteration of a loop",
	"declare":  "declare [-aAfFgilnrux] [-p] [name[=value] ...] - set variable values and attributes",
	"echo":     "echo [-neE] [arg ...] - write arguments to standard output",
	"eval":     "eval [arg ...] - run arguments as a shell command",
	"exec":     "exec [command [argument ...]] [redirection ...] - replace the shell with a command",
	"exit":     "exit [n] - exit the shell",
	"export":   "export [-fn] [name[=value] ...] or export -p - set the export attribute",
	"false":    "false - return an unsuccessful result",
	"getopts":  "getopts optstring name [arg ...] - parse option arguments",
	"hash":     "hash [-lr] [-p pathname] [-dt] [name ...] - remember or display program locations",
	"help":     "help [pattern ...] - display information about builtin commands",
	"jobs":     "jobs [-lnprs] [jobspec ...] - display status of jobs",
	"kill":     "kill [-s sigspec | -n signum | -sigspec] pid | jobspec ... or kill -l [sigspec] - send a signal",
	"let":      "let arg [arg ...] - evaluate arithmetic expressions",
	"local":    "local [option] name[=value] ... - define local variables",
	"printf":   "printf [-v var] format [arguments] - format and print arguments",
	"pwd":      "pwd [-LP] - print the name of the current working directory",
	"read":     "read [-ers] [-a array] [-d delim] [-n nchars] [-N nchars] [-p prompt] [-t timeout] [-u fd] [name ...] - read a line",
	"readonly": "readonly [-aAf] [name[=value] ...] or readonly -p - mark variables read-only",
	"return":   "return [n] - return from a shell function",
	"set":      "set [-abefhmnpuvxBCEHP] [-o option-name] [--] [arg ...] - set shell options and positional parameters",
	"shift":    "shift [n] - shift positional parameters",
	"source":   "source filename [arguments] - run a file's commands in this shell",
	"test":     "test [expr] - evaluate a conditional expression",
	"times":    "times - display process times",
	"trap":     "trap [-lp] [[arg] signal_spec ...] - trap signals and other events",
	"true":     "true - return a successful result",
	"type":     "type [-afptP] name [name ...] - display information about command type",
	"typeset":  "typeset [-aAfFgilnrux] [-p] name[=value] ... - set variable values and attributes",
	"ulimit":   "ulimit [-SHa] [-n] [limit] - modify shell resource limits",
	"umask":    "umask [-p] [-S] [mode] - display or set the file mode mask",
	"unalias":  "unalias [-a] name [name ...] - remove alias definitions",
	"unset":    "unset [-f] [-v] [-n] [name ...] - unset values and attributes of variables and functions",
	"wait":     "wait [-n] [id ...] - wait for job completion and return exit status",

	"mapfile":   "mapfile [-d delim] [-n count] [-O origin] [-s count] [-t] [-u fd] [array] - read lines into an array",
	"readarray": "readarray [-d delim] [-n count] [-O origin] [-s count] [-t] [-u fd] [array] - read lines into an array",
	"shopt":     "shopt [-pqsu] [-o] [optname ...] - set and unset shell options",

	"fg":     "fg [job_spec] - move a job to the foreground",
	"bg":     "bg [job_spec ...] - move jobs to the background",
	"disown": "disown [-h] [-ar] [jobspec ... | pid ...] - remove jobs from the job table",
}

func helpBuiltin(r *Runner, args []string) int {
	names := args[1:]
	if len(names) > 0 && names[0] == "-s" {
		names = names[1:]
	}
	var b strings.Builder
	if len(names) == 0 {
		b.WriteString("spork shell builtins:\n")
		for _, n := range builtinNames() {
			if h, ok := builtinHelp[n]; ok {
				h, _, _ = strings.Cut(h, "\n") // a long help's summary line
				b.WriteString(" " + h + "\n")
			} else {
				b.WriteString(" " + n + "\n")
			}
		}
		return r.out(b.String())
	}
	st := 0
	for _, pat := range names {
		found := false
		for _, n := range builtinNames() {
			if n == pat || matchPattern(pat, n) {
				found = true
				h, ok := builtinHelp[n]
				if !ok {
					h = n
				}
				b.WriteString(h + "\n")
			}
		}
		if !found {
			r.errorf("help: no help topics match `%s'.", pat)
			st = 1
		}
	}
	if b.Len() > 0 {
		if s := r.out(b.String()); s != 0 {
			return s
		}
	}
	return st
}
