package shell

import (
	"slices"
	"strings"
	"testing"
)

// The environment laid out for exec is reused while the exported variables
// stay the same, by the state and by the subshells sharing its variables,
// and built again when they change.
func TestChildEnvReuse(t *testing.T) {
	r := New(Options{Arg0: "test"})
	run := func(src string) {
		t.Helper()
		if st := r.RunString(src); st != 0 {
			t.Fatalf("%q: status %d", src, st)
		}
	}
	env := func(r *Runner, extra ...string) []string {
		t.Helper()
		b, list := r.childEnv(extra)
		if b == nil {
			t.Fatalf("childEnv: no block (list %q)", list)
		}
		return b.Vars()
	}
	has := func(vars []string, kv string) bool { return slices.Contains(vars, kv) }

	run("export SPORK_A=1")
	first, _ := r.childEnv(nil)
	if again, _ := r.childEnv(nil); again != first {
		t.Error("unchanged variables: the environment was laid out again")
	}
	if sub, _ := r.subshell().childEnv(nil); sub != first {
		t.Error("a subshell sharing the variables laid the environment out again")
	}
	run("SPORK_UNEXPORTED=2")
	if same, _ := r.childEnv(nil); same != first {
		t.Error("an unexported assignment changed the environment")
	}
	if !slices.IsSortedFunc(first.Vars(), func(a, b string) int {
		return strings.Compare(envName(a), envName(b))
	}) {
		t.Errorf("environment not sorted by name: %q", first.Vars())
	}

	run("SPORK_A=3")
	if vars := env(r); !has(vars, "SPORK_A=3") || has(vars, "SPORK_A=1") {
		t.Errorf("after SPORK_A=3: %q", vars)
	}
	if vars := env(r, "SPORK_A=9", "SPORK_P=x"); !has(vars, "SPORK_A=9") || !has(vars, "SPORK_P=x") || has(vars, "SPORK_A=3") {
		t.Errorf("with prefix assignments: %q", vars)
	}
	if vars := env(r); !has(vars, "SPORK_A=3") || has(vars, "SPORK_P=x") {
		t.Errorf("after a launch with prefix assignments: %q", vars)
	}
	run("unset SPORK_A")
	if vars := env(r); slices.ContainsFunc(vars, func(kv string) bool { return envName(kv) == "SPORK_A" }) {
		t.Errorf("after unset: %q", vars)
	}
}
