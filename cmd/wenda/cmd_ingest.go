package main

import (
	"context"
	"fmt"
	"strings"
	"time"
)

func init() {
	register(command{
		name:    "ingest",
		summary: "clean, chunk and embed the corpus into the index (only changed documents are re-embedded)",
		setup:   noFlags(runIngest),
	})
}

func runIngest(ctx context.Context, env *Env, args []string) error {
	if len(args) > 0 {
		return fmt.Errorf("%w: unexpected argument %q", errUsage, args[0])
	}
	tty := isTerminal(env.Stderr)
	last := time.Time{}
	progress := func(done, total int) {
		switch {
		case tty:
			const width = 30
			n := done * width / max(total, 1)
			fmt.Fprintf(env.Stderr, "\rembedding [%s%s] %d/%d", strings.Repeat("#", n), strings.Repeat(".", width-n), done, total)
			if done == total {
				fmt.Fprintln(env.Stderr)
			}
		case done == total || time.Since(last) > 2*time.Second:
			last = time.Now()
			fmt.Fprintf(env.Stderr, "embedded %d/%d chunks\n", done, total)
		}
	}
	ix, rep, err := env.ingest(ctx, progress)
	if err != nil {
		return err
	}
	defer ix.Close()
	if rep.Rebuilt {
		fmt.Fprintf(env.Stdout, "full build: %s\n", rep.RebuildReason)
	}
	fmt.Fprintf(env.Stdout, "indexed %d documents, %d chunks (%d embedded, %d reused) in %.2fs; index %.1f MB in %s\n",
		rep.Documents, rep.Chunks, rep.Embedded, rep.Reused, rep.Took.Seconds(), float64(rep.Bytes)/1e6, env.Cfg.DataDir)
	return nil
}
