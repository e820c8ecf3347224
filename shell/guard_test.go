package shell

import (
	"strings"
	"testing"
)

// A Go panic in a command (a bug) is reported as an internal error of that
// command, at the top level and in a pipeline's subshell, and the shell
// goes on.
func TestPanicIsAnInternalError(t *testing.T) {
	builtins["panic_for_test"] = func(r *Runner, args []string) int { panic("boom") }
	defer delete(builtins, "panic_for_test")
	out, errOut, st := runScript(t, "panic_for_test; echo top=$?; panic_for_test | cat; echo pipe=$?; echo end", "")
	if out != "top=2\npipe=0\nend\n" || st != 0 {
		t.Errorf("stdout %q, status %d", out, st)
	}
	if strings.Count(errOut, "internal error: boom") != 2 || strings.Contains(errOut, "goroutine") {
		t.Errorf("stderr %q", errOut)
	}
}
