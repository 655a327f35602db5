//go:build !unix

package cmd

import "errors"

func mkfifo(string) error { return errors.New("named pipes are a Unix feature") }
