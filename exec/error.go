package exec

import (
	"fmt"

	"golang.org/x/sys/unix"
)

// Error reports a launch that failed before the new program ran: the step
// of the child routine that failed and the errno it got.
type Error struct {
	Path  string     // the Spec's Path
	Step  string     // the step that failed: "chdir", "dup", "execve", "clone"...
	Errno unix.Errno // what the step got
}

// Error returns "path: errno message", with the step between the two
// unless it is execve.
func (e *Error) Error() string {
	if e.Step == "" || e.Step == "execve" {
		return fmt.Sprintf("%s: %s", e.Path, e.Errno.Error())
	}
	return fmt.Sprintf("%s: %s: %s", e.Path, e.Step, e.Errno.Error())
}

// Unwrap returns the errno, so errors.Is(err, unix.ENOENT) works.
func (e *Error) Unwrap() error { return e.Errno }
