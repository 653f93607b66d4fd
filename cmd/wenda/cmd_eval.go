package main

import (
	"bytes"
	"context"
	"crypto/rand"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"
	"time"

	"wenda/corpus"
	"wenda/eval"
	"wenda/feedback"
	"wenda/index"
	"wenda/index/embedded"
	"wenda/index/weaviate"
	"wenda/ingest"
	"wenda/retrieval"
)

// evalFlags are the settings of wenda eval beyond the common ones.
type evalFlags struct {
	questions     string
	split         string
	json          bool
	out           string
	compare       bool
	judge         bool
	parallel      int
	retrievalOnly bool
	fromFeedback  string
	sets          listFlag
	baseline      string
}

func init() {
	register(command{
		name:    "eval",
		summary: "measure retrieval, answers, citations and refusal on a question set",
		usage:   "[--questions FILE | --set DIR...] [--split dev|test|all] [--mode hybrid] [-k 5] [--compare | --baseline FILE] [--json] [--out report.md|report.html] [--judge] | --from-feedback FILE [--out questions.jsonl]",
		setup: func(fs *flag.FlagSet) runFunc {
			f := &evalFlags{}
			fs.StringVar(&f.questions, "questions", "", "question set in JSON Lines (default: the embedded eval/questions.jsonl)")
			fs.StringVar(&f.split, "split", eval.SplitAll, "questions to ask: dev, test or all")
			fs.BoolVar(&f.json, "json", false, "print the report as one JSON object")
			fs.StringVar(&f.out, "out", "", "also write the report to this file: Markdown, or HTML when it ends in .html")
			fs.BoolVar(&f.compare, "compare", false, "run bm25, vector and hybrid retrieval and print them side by side")
			fs.StringVar(&f.baseline, "baseline", "", "compare the run, question by question, with an earlier run of the same questions saved with --json, and say which changes are more than chance")
			fs.BoolVar(&f.judge, "judge", false, "add claim-level faithfulness judged by the configured LLM")
			fs.IntVar(&f.parallel, "parallel", 1, "questions asked at once (above 1 the latency figures include contention)")
			fs.BoolVar(&f.retrievalOnly, "retrieval-only", false, "measure retrieval only, without asking for answers")
			fs.StringVar(&f.fromFeedback, "from-feedback", "", "turn readers' feedback (the data directory's feedback.jsonl) into questions in JSON Lines, on stdout or --out, instead of running the eval")
			fs.Var(&f.sets, "set", "a folder-style question set, DIR/corpus (its articles) and DIR/questions.jsonl, indexed afresh for the run; repeat for several sets, reported one by one")
			return f.run
		},
	})
}

func (f *evalFlags) run(ctx context.Context, env *Env, args []string) error {
	if len(args) > 0 {
		return fmt.Errorf("%w: unexpected argument %q", errUsage, args[0])
	}
	if f.fromFeedback != "" {
		return f.questionsFromFeedback(env)
	}
	if f.parallel < 1 {
		return fmt.Errorf("%w: --parallel %d: want 1 or more", errUsage, f.parallel)
	}
	var baseline map[string]eval.Report
	if f.baseline != "" {
		if f.compare || f.json {
			return fmt.Errorf("%w: --baseline prints a comparison table; drop --compare and --json", errUsage)
		}
		var err error
		if baseline, err = readBaseline(f.baseline); err != nil {
			return err
		}
	}
	if f.judge && f.retrievalOnly {
		return fmt.Errorf("%w: --judge needs answers; drop --retrieval-only", errUsage)
	}
	if len(f.sets) > 0 {
		if f.questions != "" {
			return fmt.Errorf("%w: --set brings its own questions; drop --questions", errUsage)
		}
		return f.runSets(ctx, env, baseline)
	}
	qs, name, err := loadEvalQuestions(f.questions)
	if err != nil {
		return err
	}
	qs, err = eval.SelectSplit(qs, f.split)
	if err != nil {
		return err
	}
	eng, search, _, err := env.openDefault(ctx, false)
	if err != nil {
		return err
	}
	defer eng.Close()
	reports, err := f.evaluate(ctx, env, search, qs, name)
	if err != nil {
		return err
	}
	if err := printEval(env.Stdout, reports, f.json, f.compare); err != nil {
		return err
	}
	if baseline != nil {
		if err := printPaired(env.Stdout, baseline, "", reports[0]); err != nil {
			return err
		}
	}
	if f.out != "" {
		if err := writeEvalFile(f.out, reports); err != nil {
			return err
		}
		fmt.Fprintf(env.Stderr, "wrote %s\n", f.out)
	}
	return nil
}

// runSets evaluates each folder-style set on an index of its own articles,
// built in a temporary directory, and reports the sets one by one.
func (f *evalFlags) runSets(ctx context.Context, env *Env, baseline map[string]eval.Report) error {
	type setReports struct {
		name    string
		reports []eval.Report
	}
	var all []setReports
	for _, dir := range f.sets {
		set, err := eval.LoadSet(dir)
		if err != nil {
			return err
		}
		qs, err := eval.SelectSplit(set.Questions, f.split)
		if err != nil {
			return fmt.Errorf("%s: %w", dir, err)
		}
		search, done, err := env.setIndex(ctx, set)
		if err != nil {
			return err
		}
		reports, err := f.evaluate(ctx, env, search, qs, set.Name)
		done()
		if err != nil {
			return fmt.Errorf("%s: %w", set.Name, err)
		}
		all = append(all, setReports{set.Name, reports})
	}
	if f.json {
		out := map[string]any{}
		for _, s := range all {
			if f.compare {
				byMode := map[retrieval.Mode]eval.Report{}
				for _, r := range s.reports {
					byMode[r.Mode] = r
				}
				out[s.name] = byMode
			} else {
				out[s.name] = s.reports[0]
			}
		}
		if err := writeJSON(env.Stdout, out); err != nil {
			return err
		}
	} else {
		for i, s := range all {
			if i > 0 {
				fmt.Fprintln(env.Stdout)
			}
			if err := printEval(env.Stdout, s.reports, false, f.compare); err != nil {
				return err
			}
			if baseline != nil {
				if err := printPaired(env.Stdout, baseline, s.name, s.reports[0]); err != nil {
					return err
				}
			}
		}
	}
	if f.out != "" {
		for _, s := range all {
			path := f.out
			if len(all) > 1 {
				ext := filepath.Ext(path)
				path = strings.TrimSuffix(path, ext) + "." + s.name + ext
			}
			if err := writeEvalFile(path, s.reports); err != nil {
				return err
			}
			fmt.Fprintf(env.Stderr, "wrote %s\n", path)
		}
	}
	return nil
}

// setIndex builds an engine in a temporary directory holding a set's
// articles (or docs, when given) as its default collection, with the
// configured embedder, chunker and fusion; done closes it and removes the
// directory.
func (e *Env) setIndex(ctx context.Context, set eval.Set, docs ...corpus.Document) (search *retrieval.Searcher, done func(), err error) {
	if len(docs) == 0 {
		res, err := corpus.LoadDir(ctx, set.CorpusDir, corpus.Options{})
		if err != nil {
			return nil, nil, fmt.Errorf("%s: %w", set.CorpusDir, err)
		}
		for _, p := range res.Problems {
			e.Log.Warn("skipped file", "path", p.Path, "reason", p.Reason)
		}
		docs = res.Documents
	}
	want, err := e.defaultCollection(ctx, true)
	if err != nil {
		return nil, nil, err
	}
	want.Metadata = index.Metadata{Title: set.Name}
	eng, done, err := e.scratchEngine(ctx)
	if err != nil {
		return nil, nil, err
	}
	start := time.Now()
	if _, _, err = ingest.Ensure(ctx, eng, want); err == nil {
		x := &ingest.Indexer{Engine: eng, Embedders: e.registry().For}
		_, err = x.Sync(ctx, index.DefaultCollection, ingest.Slice(docs), ingest.SyncOptions{})
	}
	if err == nil {
		search, err = e.searcher(eng)
	}
	if err != nil {
		done()
		return nil, nil, fmt.Errorf("index %s: %w", set.Name, err)
	}
	e.Log.Info("indexed question set", "set", set.Name, "engine", e.Cfg.Engine, "documents", len(docs), "seconds", time.Since(start).Seconds())
	return search, done, nil
}

// scratchEngine opens an empty engine of the configured kind for a
// question set: a temporary data directory, or, with the weaviate engine,
// collections on the cluster under a prefix of their own, so that the set
// is evaluated on the engine it would be served from and nothing of a
// deployment's collections is touched. done deletes what it made.
func (e *Env) scratchEngine(ctx context.Context) (eng index.Engine, done func(), err error) {
	if e.Cfg.Engine == "weaviate" {
		cfg := e.weaviateConfig()
		cfg.Prefix += "Eval" + rand.Text()[:10]
		w, err := weaviate.Open(ctx, cfg)
		if err != nil {
			return nil, nil, err
		}
		done = func() {
			// The set's collection goes even when ctx was cancelled.
			dctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), time.Minute)
			defer cancel()
			if err := w.Drop(dctx); err != nil {
				e.Log.Warn("could not delete the question set's Weaviate collections", "prefix", cfg.Prefix, "err", err)
			}
			w.Close()
		}
		return w, done, nil
	}
	dir, err := os.MkdirTemp("", "wenda-eval-*")
	if err != nil {
		return nil, nil, err
	}
	emb, err := embedded.Open(ctx, dir, embedded.Options{LoadVectors: true})
	if err != nil {
		os.RemoveAll(dir)
		return nil, nil, err
	}
	return emb, func() { emb.Close(); os.RemoveAll(dir) }, nil
}

// evaluate asks qs against ix in each mode to run.
func (f *evalFlags) evaluate(ctx context.Context, env *Env, search *retrieval.Searcher, qs []eval.Question, name string) ([]eval.Report, error) {
	modes := []retrieval.Mode{retrieval.ModeBM25, retrieval.ModeVector, retrieval.ModeHybrid}
	if !f.compare {
		modes = []retrieval.Mode{env.Cfg.Mode}
	}
	runner := eval.Runner{Searcher: search}
	if !f.retrievalOnly {
		// The service "wenda serve" answers with, so that the eval measures
		// what users get.
		runner.Asker = newAnswerService(env, search)
	}
	if f.judge {
		llm := env.llmEndpoint()
		if !llm.Enabled() {
			return nil, fmt.Errorf("%w: --judge needs an LLM endpoint (--llm-url)", errUsage)
		}
		j, err := eval.NewLLMJudge(llm)
		if err != nil {
			return nil, err
		}
		runner.Judge = j
	}

	var reports []eval.Report
	for _, mode := range modes {
		cfg := eval.Config{
			K: env.Cfg.K, Mode: mode, Parallel: f.parallel,
			Name: name, Split: f.split, Progress: evalProgress(env, mode),
		}
		rep, err := runner.Run(ctx, qs, cfg)
		if err != nil {
			return nil, fmt.Errorf("eval %s: %w", mode, err)
		}
		reports = append(reports, rep)
	}
	return reports, nil
}

// loadEvalQuestions reads a question file, or the embedded set when path is
// empty, and names it for the report.
func loadEvalQuestions(path string) ([]eval.Question, string, error) {
	if path == "" {
		qs, err := eval.Default()
		return qs, eval.DefaultName, err
	}
	fh, err := os.Open(path)
	if err != nil {
		return nil, "", err
	}
	defer fh.Close()
	qs, err := eval.LoadQuestions(fh)
	if err != nil {
		return nil, "", fmt.Errorf("%s: %w", path, err)
	}
	return qs, path, nil
}

// evalProgress shows progress on an interactive terminal only, so that
// logs and redirected output stay clean.
func evalProgress(env *Env, mode retrieval.Mode) func(done, total int) {
	if !isTerminal(env.Stderr) {
		return nil
	}
	start := time.Now()
	return func(done, total int) {
		fmt.Fprintf(env.Stderr, "\r%s: %d/%d questions (%.0fs)", mode, done, total, time.Since(start).Seconds())
		if done == total {
			fmt.Fprintln(env.Stderr)
		}
	}
}

// printEval prints one report as a table, several as a comparison, or
// either as JSON: one report object, or one per mode keyed by the mode.
func printEval(w io.Writer, reports []eval.Report, asJSON, compare bool) error {
	if asJSON {
		if !compare {
			return writeJSON(w, reports[0])
		}
		byMode := make(map[retrieval.Mode]eval.Report, len(reports))
		for _, r := range reports {
			byMode[r.Mode] = r
		}
		return writeJSON(w, byMode)
	}
	if compare {
		return eval.WriteCompare(w, reports)
	}
	return eval.WriteTable(w, reports[0])
}

// readBaseline reads a run saved with --json: one report (keyed "" here),
// or one per set keyed by the set's name, as a run with --set writes.
func readBaseline(path string) (map[string]eval.Report, error) {
	raw, err := os.ReadFile(path)
	if err != nil {
		return nil, fmt.Errorf("--baseline: %w", err)
	}
	var probe map[string]json.RawMessage
	if err := json.Unmarshal(raw, &probe); err != nil {
		return nil, fmt.Errorf("--baseline %s: not a report saved with --json: %w", path, err)
	}
	if _, ok := probe["per_question"]; ok {
		var r eval.Report
		if err := json.Unmarshal(raw, &r); err != nil {
			return nil, fmt.Errorf("--baseline %s: %w", path, err)
		}
		return map[string]eval.Report{"": r}, nil
	}
	out := make(map[string]eval.Report, len(probe))
	for name, v := range probe {
		var r eval.Report
		if err := json.Unmarshal(v, &r); err != nil || r.PerQuestion == nil {
			return nil, fmt.Errorf("--baseline %s: %q is not a report saved with --json (a run with --compare cannot be a baseline)", path, name)
		}
		out[name] = r
	}
	return out, nil
}

// printPaired prints the comparison of a report with its baseline: the
// set's own, or the single report of a baseline that has one.
func printPaired(w io.Writer, baseline map[string]eval.Report, set string, r eval.Report) error {
	base, ok := baseline[set]
	switch {
	case !ok && set == "" && len(baseline) == 1:
		for _, b := range baseline {
			base, ok = b, true
		}
	case !ok:
		base, ok = baseline[""]
	}
	fmt.Fprintln(w)
	if !ok {
		_, err := fmt.Fprintf(w, "against the baseline: it has no report for %s\n", set)
		return err
	}
	return eval.WritePaired(w, base, r)
}

// writeEvalFile writes the report file, replacing it only once it is
// complete.
func writeEvalFile(path string, reports []eval.Report) (err error) {
	tmp, err := os.CreateTemp(filepath.Dir(path), "."+filepath.Base(path)+".*")
	if err != nil {
		return fmt.Errorf("write %s: %w", path, err)
	}
	defer func() {
		if err != nil {
			tmp.Close()
			os.Remove(tmp.Name())
		}
	}()
	switch strings.ToLower(filepath.Ext(path)) {
	case ".html", ".htm":
		err = eval.WriteHTML(tmp, reports...)
	default:
		err = eval.WriteMarkdown(tmp, reports...)
	}
	if err != nil {
		return fmt.Errorf("write %s: %w", path, err)
	}
	if err := tmp.Close(); err != nil {
		return fmt.Errorf("write %s: %w", path, err)
	}
	if err := os.Chmod(tmp.Name(), 0o644); err != nil {
		return fmt.Errorf("write %s: %w", path, err)
	}
	if err := os.Rename(tmp.Name(), path); err != nil {
		return errors.Join(fmt.Errorf("write %s: %w", path, err), os.Remove(tmp.Name()))
	}
	return nil
}

// questionsFromFeedback writes the questions made from a feedback file and
// says on stderr how many need a reviewer before they can run.
func (f *evalFlags) questionsFromFeedback(env *Env) error {
	fh, err := os.Open(f.fromFeedback)
	if err != nil {
		return err
	}
	defer fh.Close()
	entries, err := feedback.Read(fh)
	if err != nil {
		return fmt.Errorf("%s: %w", f.fromFeedback, err)
	}
	qs := eval.FromFeedback(entries)
	var buf bytes.Buffer
	enc := json.NewEncoder(&buf)
	enc.SetEscapeHTML(false)
	review := 0
	for _, q := range qs {
		if q.HasTag(eval.TagNeedsReview) {
			review++
		}
		if err := enc.Encode(q); err != nil {
			return err
		}
	}
	if f.out != "" {
		if err := os.WriteFile(f.out, buf.Bytes(), 0o644); err != nil {
			return err
		}
	} else if _, err := env.Stdout.Write(buf.Bytes()); err != nil {
		return err
	}
	fmt.Fprintf(env.Stderr, "%d questions from %d feedback entries: %d ready to run, %d tagged %s (a reader said the answer was wrong, or it needs its conversation or evidence); review them before running them\n",
		len(qs), len(entries), len(qs)-review, review, eval.TagNeedsReview)
	return nil
}
