// Command wenda answers questions about a collection of articles with cited
// passages. Run "wenda help" for the subcommands and settings.
package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"os/signal"
	"sort"
	"strings"
	"syscall"
)

// command is one subcommand. setup registers the command's own flags (such
// as --json) on fs, bound to values made for this one call, and returns the
// function that runs the command with them; so every parse starts from the
// defaults and a process may run the program any number of times.
type command struct {
	name    string
	summary string
	usage   string // argument synopsis after the name
	setup   func(fs *flag.FlagSet) runFunc
}

// runFunc runs a subcommand with the parsed configuration and the
// arguments left after the flags.
type runFunc func(ctx context.Context, env *Env, args []string) error

// noFlags is the setup of a command with no flags of its own.
func noFlags(run runFunc) func(*flag.FlagSet) runFunc {
	return func(*flag.FlagSet) runFunc { return run }
}

var commands = map[string]command{}

// register adds a subcommand; each lives in its own cmd_*.go file.
func register(c command) { commands[c.name] = c }

// listFlag collects the values of a repeatable flag (--set, --history,
// --example).
type listFlag []string

func (l *listFlag) String() string     { return strings.Join(*l, ", ") }
func (l *listFlag) Set(v string) error { *l = append(*l, v); return nil }

// errUsage marks a mistake on the command line; main prints usage for it.
var errUsage = errors.New("usage")

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	code := Main(ctx, os.Args[1:], os.Stdout, os.Stderr, os.Getenv)
	stop()
	os.Exit(code)
}

// Main runs wenda with the given arguments and environment and returns the
// process exit code. Tests call it to run the whole program in-process.
func Main(ctx context.Context, args []string, stdout, stderr io.Writer, getenv func(string) string) int {
	if len(args) == 0 || args[0] == "help" || args[0] == "-h" || args[0] == "--help" {
		printHelp(stdout)
		return 0
	}
	cmd, ok := commands[args[0]]
	if !ok {
		fmt.Fprintf(stderr, "wenda: unknown command %q\n\n", args[0])
		printHelp(stderr)
		return 2
	}
	var run runFunc
	cfg, rest, err := ParseConfig(cmd.name, args[1:], getenv, stderr, func(fs *flag.FlagSet) { run = cmd.setup(fs) })
	if errors.Is(err, errHelp) {
		return 0
	}
	if err != nil {
		fmt.Fprintf(stderr, "wenda %s: %v\n", cmd.name, err)
		return 2
	}
	env := newEnv(cfg, stdout, stderr)
	if err := run(ctx, env, rest); err != nil {
		if errors.Is(err, errUsage) {
			fmt.Fprintf(stderr, "wenda %s: %v\nusage: wenda %s %s\n", cmd.name, err, cmd.name, cmd.usage)
			return 2
		}
		fmt.Fprintf(stderr, "wenda %s: %v\n", cmd.name, err)
		return 1
	}
	return 0
}

func printHelp(w io.Writer) {
	fmt.Fprintln(w, "wenda answers questions about a collection of articles, citing the passages it used.")
	fmt.Fprintln(w, "\nUsage: wenda <command> [flags] [arguments]\n\nCommands:")
	names := make([]string, 0, len(commands))
	for n := range commands {
		names = append(names, n)
	}
	sort.Strings(names)
	for _, n := range names {
		fmt.Fprintf(w, "  %-12s %s\n", n, commands[n].summary)
	}
	fmt.Fprintln(w, "\nRun \"wenda <command> --help\" for the flags of a command; every flag can also be set")
	fmt.Fprintln(w, "with the environment variable named beside it.")
}
