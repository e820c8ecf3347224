package shell

import "testing"

// TestSuspendRefuses checks suspend's refusals, as bash gives them; the
// stop itself is tested on a terminal (tests/interactive_test.go).
func TestSuspendRefuses(t *testing.T) {
	for _, tc := range []struct {
		src, stderr string
		status      int
	}{
		{"suspend", "spork: line 1: suspend: cannot suspend: no job control\n", 1},
		{"suspend x", "spork: line 1: suspend: too many arguments\n", 1},
		{"suspend -z", "spork: line 1: suspend: -z: invalid option\nsuspend: usage: suspend [-f]\n", 2},
	} {
		_, stderr, st := runScript(t, tc.src, "")
		if stderr != tc.stderr || st != tc.status {
			t.Errorf("%s: stderr %q, status %d; want %q, %d", tc.src, stderr, st, tc.stderr, tc.status)
		}
	}
	r := New(Options{Arg0: "spork"})
	r.sh.jobControl, r.sh.ia.login = true, true
	_, stderr, st := runIn(t, r, "suspend", "")
	if want := "spork: line 1: suspend: cannot suspend a login shell\n"; stderr != want || st != 1 {
		t.Errorf("login shell: stderr %q, status %d; want %q, 1", stderr, st, want)
	}
}
