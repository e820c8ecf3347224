package shell

import (
	"fmt"
	"maps"
	"math/rand/v2"
	"os"
	"runtime"
	"slices"
	"strconv"
	"strings"
	"sync/atomic"
	"time"

	"github.com/spork-sh/spork/exec"
	"mvdan.cc/sh/v3/expand"
	"mvdan.cc/sh/v3/syntax"
)

// scope is one level of variables: the globals, or the locals of one
// function call.
type scope map[string]expand.Variable

// importEnv sets the scope from an environment, as a shell starts: each
// NAME=value with a valid name is an exported variable; IFS is never
// inherited (POSIX) and OPTIND starts at 1.
func (s scope) importEnv(env []string) {
	for _, kv := range env {
		name, val, ok := cut(kv, '=')
		if !ok || !checkName(name) {
			continue
		}
		s[name] = expand.Variable{Set: true, Exported: true, Kind: expand.String, Str: val}
	}
	s["IFS"] = expand.Variable{Set: true, Kind: expand.String, Str: " \t\n"}
	s["OPTIND"] = expand.Variable{Set: true, Kind: expand.String, Str: "1"}
}

// varReadOnlyError reports an assignment to a read-only variable.
type varReadOnlyError struct{ name string }

func (e varReadOnlyError) Error() string { return e.name + ": readonly variable" }

// cannotAssignError reports ${1=x}-style assignments to positional and
// special parameters.
type cannotAssignError struct{ name string }

func (e cannotAssignError) Error() string { return "$" + e.name + ": cannot assign in this way" }

// specialParam reports whether name is a positional or special parameter.
func specialParam(name string) bool {
	if name == "" {
		return false
	}
	if len(name) == 1 && strings.IndexByte("@*#?-$!", name[0]) >= 0 {
		return true
	}
	for i := 0; i < len(name); i++ {
		if name[i] < '0' || name[i] > '9' {
			return false
		}
	}
	return true
}

// lookup finds a variable, innermost function scope first.
func (r *Runner) lookup(name string) (expand.Variable, scope) {
	vs := r.vs
	for i := len(vs.frames) - 1; i >= 0; i-- {
		if v, ok := vs.frames[i][name]; ok {
			return v, vs.frames[i]
		}
	}
	v, ok := vs.globals[name]
	if ok {
		return v, vs.globals
	}
	if name == "SHELLOPTS" {
		// bash's SHELLOPTS is read-only: assignments and unset fail.
		return expand.Variable{Set: true, ReadOnly: true, Kind: expand.String, Str: r.opts.shellOpts()}, nil
	}
	return v, nil
}

// Get implements expand.Environ: variables and the special parameters.
func (r *Runner) Get(name string) expand.Variable {
	if name == "_" && r.lastArgSet {
		return expand.Variable{Set: true, Kind: expand.String, Str: r.lastArg}
	}
	if v, _ := r.lookup(name); v.Declared() {
		return v
	}
	if len(name) == 0 {
		return expand.Variable{}
	}
	if name[0] == 0 {
		v, _ := r.assocList(name)
		return v
	}
	if s, ok := r.special(name); ok {
		return expand.Variable{Set: true, Kind: expand.String, Str: s}
	}
	if name == "PIPESTATUS" {
		list := r.pipeStatus
		if list == nil {
			list = []string{strconv.Itoa(r.lastStatus)}
		}
		return expand.Variable{Set: true, Kind: expand.Indexed, List: list}
	}
	if name == "BASH_SOURCE" || name == "BASH_LINENO" {
		if list := r.bashSource(name == "BASH_LINENO"); len(list) > 0 {
			return expand.Variable{Set: true, Kind: expand.Indexed, List: list}
		}
	}
	if name == "FUNCNAME" && len(r.funcNames) > 0 {
		return expand.Variable{Set: true, Kind: expand.Indexed, List: r.funcStack()}
	}
	if name == "@" || name == "*" {
		list := r.params
		if list == nil {
			list = []string{}
		}
		return expand.Variable{Set: true, Kind: expand.Indexed, List: list}
	}
	if strings.HasPrefix(name, "HOME ") {
		if dir := homeOf(name[5:]); dir != "" {
			return expand.Variable{Set: true, Kind: expand.String, Str: dir}
		}
	}
	return expand.Variable{}
}

// special returns the value of a special parameter or dynamic variable.
func (r *Runner) special(name string) (string, bool) {
	c := name[0]
	if c >= '0' && c <= '9' {
		n, err := strconv.Atoi(name)
		if err != nil {
			return "", false
		}
		if n == 0 {
			return r.arg0, true
		}
		if n <= len(r.params) {
			return r.params[n-1], true
		}
		return "", false
	}
	switch name {
	case "#":
		return strconv.Itoa(len(r.params)), true
	case "?":
		return strconv.Itoa(r.lastStatus), true
	case "$":
		return strconv.Itoa(r.sh.pid), true
	case "!":
		if r.lastBg == 0 {
			return "", false
		}
		return strconv.Itoa(r.lastBg), true
	case "-":
		return r.opts.flags(r), true
	case "RANDOM":
		return strconv.Itoa(rand.IntN(32768)), true
	case "EPOCHSECONDS":
		return strconv.FormatInt(time.Now().Unix(), 10), true
	case "EPOCHREALTIME":
		now := time.Now()
		return fmt.Sprintf("%d.%06d", now.Unix(), now.Nanosecond()/1000), true
	case "SRANDOM":
		return strconv.FormatUint(uint64(rand.Uint32()), 10), true
	case "SECONDS":
		return strconv.Itoa(int(time.Since(r.sh.start).Seconds()) + r.sh.secondsBase), true
	case "BASH_COMMAND":
		s := r.curStmt
		if r.inTrap {
			if r.debugText != "" {
				return r.debugText, true
			}
			s = r.trapStmt
		}
		if s == nil {
			return "", false
		}
		var b strings.Builder
		syntax.NewPrinter(syntax.SingleLine(true)).Print(&b, s)
		return b.String(), true
	case "LINENO":
		return strconv.Itoa(int(r.line)), true
	case "UID":
		return strconv.Itoa(os.Getuid()), true
	case "EUID":
		return strconv.Itoa(os.Geteuid()), true
	case "OSTYPE":
		return "linux-gnu", true
	case "HOSTTYPE":
		return hostType(), true
	case "MACHTYPE":
		return hostType() + "-pc-linux-gnu", true
	case "HOSTNAME":
		h, err := os.Hostname()
		return h, err == nil
	}
	return "", false
}

// hostType is $HOSTTYPE: the machine's architecture as bash names it.
func hostType() string {
	switch runtime.GOARCH {
	case "amd64":
		return "x86_64"
	case "arm64":
		return "aarch64"
	case "386":
		return "i686"
	}
	return runtime.GOARCH
}

// Each implements expand.Environ over every declared variable.
func (r *Runner) Each(fn func(name string, vr expand.Variable) bool) {
	seen := map[string]bool{}
	for i := len(r.vs.frames) - 1; i >= 0; i-- {
		for name, v := range r.vs.frames[i] {
			if seen[name] {
				continue
			}
			seen[name] = true
			if !fn(name, v) {
				return
			}
		}
	}
	for name, v := range r.vs.globals {
		if seen[name] {
			continue
		}
		if !fn(name, v) {
			return
		}
	}
}

// Set implements expand.WriteEnviron. It keeps a variable's attributes when
// only its value changes, and refuses to change a read-only variable.
func (r *Runner) Set(name string, vr expand.Variable) error {
	if specialParam(name) {
		return cannotAssignError{name}
	}
	r.ownVars()
	if vr.Kind != expand.NameRef {
		name = r.refTarget(name)
	}
	old, sc := r.lookup(name)
	if old.ReadOnly {
		return varReadOnlyError{name}
	}
	if sc == nil {
		sc = r.vs.globals
	}
	if !vr.IsSet() && vr.Kind != expand.KeepValue {
		// unset
		if sc := r.scopeOf(name); sc != nil {
			if old.Local {
				sc[name] = expand.Variable{Local: true}
			} else {
				delete(sc, name)
			}
		}
		r.varChanged(name)
		return nil
	}
	if vr.Kind == expand.KeepValue {
		old.Exported = old.Exported || vr.Exported
		old.ReadOnly = old.ReadOnly || vr.ReadOnly
		old.Local = old.Local || vr.Local
		sc[name] = old
		return nil
	}
	vr.Exported = vr.Exported || old.Exported
	vr.Local = old.Local
	if r.opts.allexport {
		vr.Exported = true
	}
	if old.Kind == expand.Associative && vr.Kind == expand.String && old.IsSet() {
		// x=val on an associative array sets the element "0", as bash
		m := maps.Clone(old.Map)
		if m == nil {
			m = map[string]string{}
		}
		m["0"] = vr.Str
		vr.Kind, vr.Map, vr.Str = expand.Associative, m, ""
	}
	if old.Kind == expand.Indexed && vr.Kind == expand.String {
		// x=val on an array sets element 0
		list := append([]string(nil), old.List...)
		if len(list) == 0 {
			list = []string{vr.Str}
		} else {
			list[0] = vr.Str
		}
		vr.Kind, vr.List, vr.Str = expand.Indexed, list, ""
		vr.Indexes = old.Indexes
	}
	sc[name] = vr
	r.varChanged(name)
	return nil
}

func (r *Runner) scopeOf(name string) scope {
	_, sc := r.lookup(name)
	return sc
}

// setString assigns a plain string value.
func (r *Runner) setString(name, value string) error {
	r.ownVars()
	name = r.refTarget(name)
	if a := r.attrOf(name); a != 0 {
		v, err := r.applyAttrs(a, value, "", false)
		if err != nil {
			return err
		}
		value = v
	}
	old, sc := r.lookup(name)
	if sc != nil && old.Kind == expand.String && !old.ReadOnly && !r.opts.allexport {
		old.Str = value
		old.Set = true
		sc[name] = old
		r.varChanged(name)
		return nil
	}
	return r.Set(name, expand.Variable{Set: true, Kind: expand.String, Str: value})
}

// refTarget follows name references (declare -n): the variable that an
// assignment to name changes.
func (r *Runner) refTarget(name string) string {
	for range 8 {
		v, _ := r.lookup(name)
		if v.Kind != expand.NameRef || v.Str == "" || v.Str == name {
			return name
		}
		name = v.Str
		if i := strings.IndexByte(name, '['); i > 0 {
			return name // an element: left to the caller's checks
		}
	}
	return name
}

// getString returns a variable's string value ("" when unset).
func (r *Runner) getString(name string) string {
	return r.Get(name).String()
}

// varChanged reacts to assignments of variables the shell itself uses.
func (r *Runner) varChanged(name string) {
	switch name {
	case "PATH":
		r.hashClear()
	case "OPTIND":
		r.getoptsPos = 0
	case "SECONDS":
		v, _ := r.lookup(name)
		n, _ := strconv.Atoi(v.String())
		r.sh.secondsBase = n
		r.sh.start = time.Now()
	}
}

// environ returns the "name=value" list of exported variables for a child,
// with extra prefix assignments applied last. A variable whose value is
// the one in the environment laid out last (varStore.env) gets that
// environment's string again, so rebuilding after one change builds one
// string.
func (r *Runner) environ(extra []string) []string {
	var last []string
	if e := r.vs.env.Load(); e != nil {
		last = e.Vars()
	}
	env := make([]string, 0, len(last)+len(extra))
	r.eachExported(func(name, value string) {
		if kv, ok := findEnv(last, name); ok && kv[len(name)+1:] == value {
			env = append(env, kv)
		} else {
			env = append(env, name+"="+value)
		}
	})
	if len(extra) > 0 {
		// prefix assignments replace exported values of the same name
		out := env[:0]
		names := make(map[string]bool, len(extra))
		for _, kv := range extra {
			names[envName(kv)] = true
		}
		for _, kv := range env {
			if !names[envName(kv)] {
				out = append(out, kv)
			}
		}
		env = append(out, extra...)
	}
	return env
}

// eachExported calls f with the name and value of each variable a child
// gets: for each name, the innermost exported, set, non-array variable. A
// local that is unset or not exported does not hide an exported variable
// of an outer scope from the environment, as in bash.
func (r *Runner) eachExported(f func(name, value string)) {
	frames := r.vs.frames
	exported := func(v expand.Variable) bool {
		return v.Exported && v.IsSet() && v.Kind != expand.Associative && v.Kind != expand.Indexed
	}
	visit := func(sc scope, level int) {
	next:
		for name, v := range sc {
			if !exported(v) {
				continue
			}
			for _, inner := range frames[level+1:] {
				if iv, ok := inner[name]; ok && exported(iv) {
					continue next
				}
			}
			f(name, v.String())
		}
	}
	for i, sc := range frames {
		visit(sc, i)
	}
	visit(r.vs.globals, -1)
}

// childEnv returns the environment of a child, laid out for exec. The
// layout is kept with the variables (varStore.env, shared with the
// subshells that share them) while the exported variables stay the same:
// before each launch they are looked up in it, which allocates nothing, so
// a loop of launches and the pipelines and subshells it starts build their
// environment once.
// The list is sorted by name, as env(1) users find it easiest to read. On
// a string exec cannot pass (a NUL byte) it returns nil, and the caller
// passes the list for the launcher to report.
func (r *Runner) childEnv(extra []string) (*exec.Env, []string) {
	if last := r.vs.env.Load(); len(extra) == 0 && last != nil && r.envMatches(last.Vars()) {
		return last, nil
	}
	vars := r.environ(extra)
	slices.SortFunc(vars, func(a, b string) int { return strings.Compare(envName(a), envName(b)) })
	block, err := exec.NewEnv(vars)
	if err != nil {
		return nil, vars
	}
	r.vs.env.Store(block)
	return block, nil
}

// envMatches reports whether vars, sorted by name, is the environment a
// child of r gets without prefix assignments.
func (r *Runner) envMatches(vars []string) bool {
	n, same := 0, true
	r.eachExported(func(name, value string) {
		n++
		if same {
			kv, ok := findEnv(vars, name)
			same = ok && kv[len(name)+1:] == value
		}
	})
	return same && n == len(vars)
}

// findEnv finds the string of name in vars, sorted by name.
func findEnv(vars []string, name string) (string, bool) {
	i, ok := slices.BinarySearchFunc(vars, name, func(kv, name string) int { return strings.Compare(envName(kv), name) })
	if !ok {
		return "", false
	}
	return vars[i], true
}

// envName is the name part of a "name=value" string.
func envName(kv string) string {
	name, _, _ := strings.Cut(kv, "=")
	return name
}

// cache returns the state's launchCache, made on first use.
func (r *Runner) cache() *launchCache {
	if r.lc == nil {
		r.lc = new(launchCache)
	}
	return r.lc
}

// launchCache is what one state (a Runner, never shared between
// goroutines) keeps from one launch to the next, so that a loop of launches
// allocates next to nothing: the Spec and descriptor list of the last
// launch, rewritten each time. (The environment laid out last is kept
// with the variables, in varStore.env.)
type launchCache struct {
	spec  exec.Spec
	files []int
}

// ifs returns the current field separators.
func (r *Runner) ifs() string {
	v := r.Get("IFS")
	if !v.IsSet() {
		return " \t\n"
	}
	return v.String()
}

func homeOf(user string) string { return passwdField(0, user, 5) }

// loginShellOf returns the login shell /etc/passwd gives the user uid.
func loginShellOf(uid int) string { return passwdField(2, strconv.Itoa(uid), 6) }

// passwdField returns field want of the first /etc/passwd entry whose
// field key is value, or "".
func passwdField(key int, value string, want int) string {
	data, err := os.ReadFile("/etc/passwd")
	if err != nil {
		return ""
	}
	for _, line := range strings.Split(string(data), "\n") {
		f := strings.Split(line, ":")
		if len(f) > max(key, want) && f[key] == value {
			return f[want]
		}
	}
	return ""
}

// checkName reports whether name is a valid variable name.
func checkName(name string) bool { return syntax.ValidName(name) }

// assignErr formats an assignment error for the user.
func assignErr(name string, err error) error {
	if _, ok := err.(varReadOnlyError); ok {
		return err
	}
	return fmt.Errorf("%s: %v", name, err)
}

// varStore holds the variables of one shell state. Subshells share their
// parent's store until either side writes (copy on write, counted).
type varStore struct {
	globals scope
	frames  []scope
	attrs   map[string]varAttr // declare -i/-l/-u, by name; nil when none
	refs    atomic.Int32
	// env is the environment last laid out for a child from these
	// variables (see childEnv), checked against them before each use.
	env atomic.Pointer[exec.Env]
}

func newVarStore() *varStore {
	vs := &varStore{globals: make(scope, 64)}
	vs.refs.Store(1)
	return vs
}

// share hands out another reference to the store.
func (vs *varStore) share() *varStore {
	vs.refs.Add(1)
	return vs
}

// release drops a reference.
func (vs *varStore) release() { vs.refs.Add(-1) }

// ownVars makes r's variable store its own before a write.
func (r *Runner) ownVars() {
	old := r.vs
	if old.refs.Load() == 1 {
		return
	}
	vs := &varStore{globals: make(scope, len(old.globals)+8)}
	vs.refs.Store(1)
	for k, v := range old.globals {
		vs.globals[k] = v
	}
	vs.frames = make([]scope, len(old.frames))
	for i, f := range old.frames {
		nf := make(scope, len(f))
		for k, v := range f {
			nf[k] = v
		}
		vs.frames[i] = nf
	}
	if old.attrs != nil {
		vs.attrs = maps.Clone(old.attrs)
	}
	vs.env.Store(old.env.Load())
	r.vs = vs
	old.release()
}
