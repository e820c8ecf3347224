module github.com/spork-sh/spork

go 1.26.8

require (
	github.com/chzyer/readline v1.5.1
	github.com/creack/pty v1.1.24
	golang.org/x/sys v0.50.0
	mvdan.cc/sh/v3 v3.14.1
)
