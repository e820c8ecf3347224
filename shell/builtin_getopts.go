package shell

import (
	"strconv"
	"strings"

	"mvdan.cc/sh/v3/expand"
)

func init() {
	builtins["getopts"] = getoptsBuiltin
}

// getoptsBuiltin implements getopts as bash does: OPTIND names the
// argument being parsed and stays on it while its grouped options are
// returned one by one (r.getoptsPos is the position inside it).
func getoptsBuiltin(r *Runner, args []string) int {
	if len(args) < 3 {
		r.errorf("getopts: usage: getopts optstring name [arg ...]")
		return 2
	}
	optstring, name := args[1], args[2]
	if !checkName(name) {
		r.errorf("getopts: `%s': not a valid identifier", name)
		return 1
	}
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
	if err != nil || optind < 1 {
		optind = 1
		r.getoptsPos = 0
	}
	pos := r.getoptsPos
	setName := func(v string) int {
		if err := r.setString(name, v); err != nil {
			r.errorf("%v", err)
			return 1
		}
		return 0
	}
	unsetArg := func() { r.Set("OPTARG", expand.Variable{}) }
	finish := func(ind, p int) {
		r.setString("OPTIND", strconv.Itoa(ind))
		r.getoptsPos = p
	}
	if pos == 0 {
		if optind-1 >= len(params) {
			unsetArg()
			finish(optind, 0)
			setName("?")
			return 1
		}
		arg := params[optind-1]
		if arg == "--" {
			unsetArg()
			finish(optind+1, 0)
			setName("?")
			return 1
		}
		if len(arg) < 2 || arg[0] != '-' {
			unsetArg()
			finish(optind, 0)
			setName("?")
			return 1
		}
		pos = 1
	}
	if optind-1 >= len(params) || pos >= len(params[optind-1]) {
		// OPTIND was changed behind our back
		r.getoptsPos = 0
		unsetArg()
		setName("?")
		return 1
	}
	arg := params[optind-1]
	c := arg[pos]
	pos++
	next, nextPos := optind, pos
	if pos >= len(arg) {
		next, nextPos = optind+1, 0
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
			finish(optind+1, 0)
		case next-1 < len(params):
			r.setString("OPTARG", params[next-1])
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
	unsetArg()
	finish(next, nextPos)
	return setName(string(c))
}
