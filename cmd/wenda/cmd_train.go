package main

import (
	"bytes"
	"context"
	"encoding/json"
	"flag"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"text/tabwriter"
	"time"

	"wenda/answer"
	"wenda/corpus"
	"wenda/eval"
)

// trainFlags are the settings of wenda train.
type trainFlags struct {
	sets    listFlag
	shipped bool
	budget  float64
	out     string
	json    bool
	dump    string
	folds   int
	loso    bool
	workers int
}

func init() {
	register(command{
		name:    "train",
		summary: "train the short-answer and answerability models on labelled question sets",
		usage:   "--set DIR... [--shipped=true] [--budget 0.05] [--folds 5] [--leave-one-set-out=true] [--out answer] [--json]",
		setup: func(fs *flag.FlagSet) runFunc {
			f := &trainFlags{}
			fs.Var(&f.sets, "set", "a folder-style labelled question set (DIR/corpus, DIR/questions.jsonl); repeat for several")
			fs.BoolVar(&f.shipped, "shipped", true, "also train on the dev split of the shipped questions, over the built-in articles")
			fs.Float64Var(&f.budget, "budget", 0.05, "share of answerable questions the refusal threshold may refuse on the median set")
			fs.StringVar(&f.out, "out", "answer", "folder to write spanmodel.json and answerability.json to")
			fs.BoolVar(&f.json, "json", false, "print the per-set scores as JSON")
			fs.IntVar(&f.folds, "folds", 5, "article-held-out cross-validation folds to score the models with (0: none); the models written do not depend on it")
			fs.BoolVar(&f.loso, "leave-one-set-out", true, "also score each set with models fitted on the other sets; the models written do not depend on it")
			fs.IntVar(&f.workers, "parallel", 2, "questions traced at once; the models written do not depend on it")
			fs.StringVar(&f.dump, "dump", "", "also write every question's trace (features and candidate spans) to this JSON Lines file")
			return f.run
		},
	})
}

func (f *trainFlags) run(ctx context.Context, env *Env, args []string) error {
	if len(args) > 0 {
		return fmt.Errorf("%w: unexpected argument %q", errUsage, args[0])
	}
	if len(f.sets) == 0 && !f.shipped {
		return fmt.Errorf("%w: no question set to train on", errUsage)
	}
	if f.folds < 0 || f.workers < 1 {
		return fmt.Errorf("%w: --folds %d, --parallel %d", errUsage, f.folds, f.workers)
	}
	if f.budget <= 0 || f.budget >= 1 {
		return fmt.Errorf("%w: --budget %v: want a share between 0 and 1", errUsage, f.budget)
	}
	var sets []eval.TrainingSet
	var cleanup []func()
	defer func() {
		for _, c := range cleanup {
			c()
		}
	}()
	for _, dir := range f.sets {
		set, err := eval.LoadSet(dir)
		if err != nil {
			return err
		}
		search, done, err := env.setIndex(ctx, set)
		if err != nil {
			return err
		}
		cleanup = append(cleanup, done)
		sets = append(sets, eval.TrainingSet{Name: set.Name, Questions: set.Questions, Searcher: search})
	}
	if f.shipped {
		all, err := eval.Default()
		if err != nil {
			return err
		}
		qs, err := eval.SelectSplit(all, eval.SplitDev)
		if err != nil {
			return err
		}
		res, err := corpus.Load(corpus.Embedded(), corpus.Options{})
		if err != nil {
			return err
		}
		search, done, err := env.setIndex(ctx, eval.Set{Name: "shipped-dev"}, res.Documents...)
		if err != nil {
			return err
		}
		cleanup = append(cleanup, done)
		sets = append(sets, eval.TrainingSet{Name: "shipped-dev", Questions: qs, Searcher: search})
	}
	start := time.Now()
	cfg := eval.TrainConfig{
		K: env.Cfg.K, Mode: env.Cfg.Mode, Budget: f.budget,
		Folds: f.folds, LeaveOneSetOut: f.loso, Parallel: f.workers,
		PreviousThreshold: answer.DefaultAnswerabilityModel().Threshold,
		Progress:          func(msg string) { env.Log.Info(msg) },
	}
	var dumpErr error
	if f.dump != "" {
		fh, err := os.Create(f.dump)
		if err != nil {
			return err
		}
		defer fh.Close()
		enc := json.NewEncoder(fh)
		enc.SetEscapeHTML(false)
		cfg.Dump = func(set, id string, answerable bool, gold []string, tr answer.Trace) {
			if len(tr.Spans) > 20 {
				tr.Spans = tr.Spans[:20]
			}
			if err := enc.Encode(map[string]any{"set": set, "id": id, "answerable": answerable, "gold": gold, "trace": tr}); err != nil && dumpErr == nil {
				dumpErr = err
			}
		}
	}
	res, err := eval.Train(ctx, sets, cfg)
	if err != nil {
		return err
	}
	if dumpErr != nil {
		return fmt.Errorf("write %s: %w", f.dump, dumpErr)
	}
	env.Log.Info("trained", "seconds", time.Since(start).Seconds())

	var names []string
	for _, s := range sets {
		names = append(names, fmt.Sprintf("%s (%d questions)", s.Name, len(s.Questions)))
	}
	// The sets are named by their folders, not by where they were on
	// the machine that trained.
	command := "wenda train"
	for _, s := range f.sets {
		command += " --set <sets>/" + filepath.Base(filepath.Clean(s))
	}
	if !f.shipped {
		command += " --shipped=false"
	}
	if f.budget != 0.05 {
		command += fmt.Sprintf(" --budget %v", f.budget)
	}
	trained := "Trained on " + strings.Join(names, ", ") + "."
	res.Spans.Comment = []string{
		"Span model: ranks the candidate short answers of a factoid question (a conditional logit over answer.SpanFeatureNames, with regression trees fitted by gradient boosting on top of it).",
		trained,
		"Retrain with: " + command + " (<sets>: the folder holding the sets, shared/evalsets beside the repository)",
	}
	res.Answerability.Comment = []string{
		"Answerability model: logistic regression over answer.FeatureNames; below threshold the service refuses.",
		fmt.Sprintf("The threshold is the highest that refuses at most %.0f%% of the answerable questions of the median training set.", 100*f.budget),
		trained,
		"Retrain with: " + command + " (<sets>: the folder holding the sets, shared/evalsets beside the repository)",
	}
	for _, m := range []struct {
		name  string
		model any
	}{{"spanmodel.json", res.Spans}, {"answerability.json", res.Answerability}} {
		var raw bytes.Buffer
		enc := json.NewEncoder(&raw)
		enc.SetEscapeHTML(false)
		enc.SetIndent("", "  ")
		if err := enc.Encode(m.model); err != nil {
			return err
		}
		path := filepath.Join(f.out, m.name)
		if err := os.WriteFile(path, raw.Bytes(), 0o644); err != nil {
			return fmt.Errorf("write %s: %w", path, err)
		}
		fmt.Fprintf(env.Stderr, "wrote %s\n", path)
	}
	if f.json {
		return writeJSON(env.Stdout, res.PerSet)
	}
	prev := cfg.PreviousThreshold
	tw := tabwriter.NewWriter(env.Stdout, 0, 0, 2, ' ', tabwriter.AlignRight)
	fmt.Fprintf(tw, "\t\t\tshort answer EM\t\t\trefusal: cross-validated\t\t\t\tleave one set out\t\t\t\tin sample\t\t\t\t\tat %.3f\t\t\n", prev)
	fmt.Fprintln(tw, "set\tfactoid\tspan recall\tcv\tlso\tin\tAUC\tnr@5%\tneg.rej\tfalse ref.\tAUC\tnr@5%\tneg.rej\tfalse ref.\tAUC\tnr@5%\tthreshold\tneg.rej\tfalse ref.\tneg.rej\tfalse ref.\t")
	for _, s := range res.PerSet {
		var at eval.RefusalScores
		if s.AtPrevious != nil {
			at = *s.AtPrevious
		}
		fmt.Fprintf(tw, "%s\t%d\t%.3f\t%.3f\t%.3f\t%.3f\t%.3f\t%.3f\t%.3f\t%.3f\t%.3f\t%.3f\t%.3f\t%.3f\t%.3f\t%.3f\t%.3f\t%.3f\t%.3f\t%.3f\t%.3f\t\n", s.Name, s.Answerable, s.SpanRecall,
			s.CrossValidatedEM, s.HeldOutEM, s.InSampleEM,
			s.CrossValidated.AUC, s.CrossValidated.RejectionAtBudget, s.CrossValidated.NegativeRejection, s.CrossValidated.FalseRefusal,
			s.HeldOut.AUC, s.HeldOut.RejectionAtBudget, s.HeldOut.NegativeRejection, s.HeldOut.FalseRefusal,
			s.InSample.AUC, s.InSample.RejectionAtBudget, s.InSample.Threshold, s.InSample.NegativeRejection, s.InSample.FalseRefusal,
			at.NegativeRejection, at.FalseRefusal)
	}
	if err := tw.Flush(); err != nil {
		return err
	}
	fmt.Fprintf(env.Stdout, "\ncv: models fitted without the question's article (%d folds by article); lso: fitted on the other sets; in: the final models, fitted on every set.\n", f.folds)
	fmt.Fprintf(env.Stdout, "nr@5%%: negative rejection at %.0f%% false refusal, read off the refusal ROC as wenda eval reads it.\n", eval.RefusalBudget*100)
	fmt.Fprintf(env.Stdout, "at %.3f: the final models at the threshold of the model this binary ships; where it differs from in sample, the budget moved the threshold.\n", prev)
	return nil
}
