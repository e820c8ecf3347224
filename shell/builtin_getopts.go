package shell

import (
	"strconv"
	"strings"

	"mvdan.cc/sh/v3/expand"
)

func init() {
	builtins["getopts"] = getoptsBuiltin
}

// getoptsBuiltin implements getopts. OPTIND is the index of the next
// argument to look at; while the options grouped in one argument are
// returned one by one it stays on that argument (as bash and osh do;
// dash moves it on at once), and r.getoptsPos is the position inside it. An OPTIND past the end of the
// arguments starts over, so that a new option loop works without
// resetting it.
func getoptsBuiltin(r *Runner, args []string) int {
	if len(args) < 3 {
		r.errorf("getopts: usage: getopts optstring name [arg ...]")
		return 2
	}
	optstring, name := args[1], args[2]
	validName := checkName(name)
	params := r.params
	if len(args) > 3 {
		params = args[3:]
	}
	silent := strings.HasPrefix(optstring, ":")
	if silent {
		optstring = optstring[1:]
	}
	report := !silent && r.getString("OPTERR") != "0"
	optind, err := strconv.Atoi(strings.TrimSpace(r.getString("OPTIND")))
	if err != nil || optind < 1 || optind > len(params)+1 {
		optind = 1
		r.getoptsPos = 0
	}
	pos := r.getoptsPos
	cur := optind - 1 // the argument being parsed
	if pos > 0 {
		if cur >= len(params) || pos >= len(params[cur]) {
			// OPTIND was changed behind our back
			cur, pos = optind-1, 0
		}
	}
	setName := func(v string) int {
		if !validName {
			r.errorf("getopts: `%s': not a valid identifier", name)
			return 2
		}
		if err := r.setString(name, v); err != nil {
			r.errorf("%v", err)
			return 2
		}
		return 0
	}
	unsetArg := func() { r.Set("OPTARG", expand.Variable{}) }
	// an option without an argument leaves OPTARG empty but set (osh, dash)
	emptyArg := func() { r.setString("OPTARG", "") }
	// finish records that the next option is at position p of argument
	// number next (0 for its start).
	finish := func(next, p int) {
		r.setString("OPTIND", strconv.Itoa(next+1))
		r.getoptsPos = p
	}
	end := func(next int) int {
		unsetArg()
		finish(next, 0)
		if st := setName("?"); st != 0 {
			return st
		}
		return 1
	}
	if pos == 0 {
		if cur >= len(params) {
			return end(cur)
		}
		arg := params[cur]
		if arg == "--" {
			return end(cur + 1)
		}
		if len(arg) < 2 || arg[0] != '-' {
			return end(cur)
		}
		pos = 1
	}
	arg := params[cur]
	c := arg[pos]
	pos++
	next, nextPos := cur, pos
	if pos >= len(arg) {
		next, nextPos = cur+1, 0
	}
	k := strings.IndexByte(optstring, c)
	if k < 0 || c == ':' {
		if silent {
			r.setString("OPTARG", string(c))
		} else {
			unsetArg()
			if report {
				r.errWrite(r.arg0 + ": illegal option -- " + string(c) + "\n")
			}
		}
		finish(next, nextPos)
		return setName("?")
	}
	if k+1 < len(optstring) && optstring[k+1] == ':' {
		switch {
		case nextPos != 0:
			r.setString("OPTARG", arg[nextPos:])
			finish(cur+1, 0)
		case next < len(params):
			r.setString("OPTARG", params[next])
			finish(next+1, 0)
		default:
			finish(next, 0)
			if silent {
				r.setString("OPTARG", string(c))
				return setName(":")
			}
			unsetArg()
			if report {
				r.errWrite(r.arg0 + ": option requires an argument -- " + string(c) + "\n")
			}
			return setName("?")
		}
		return setName(string(c))
	}
	emptyArg()
	finish(next, nextPos)
	return setName(string(c))
}
