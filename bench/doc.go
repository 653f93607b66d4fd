// Package bench measures what wenda costs to run: how fast it ingests, how
// long a query takes as the corpus grows, how much memory it needs and how
// many requests a small machine serves.
//
// Its corpora are synthetic but made of real text: Synthesize recombines
// the sentences of the shipped articles, with a fixed seed, into as many
// documents as it takes to reach a chunk count, so a 100k-chunk corpus
// needs no download and is the same on every machine. The wenda bench
// command, the testing.B benchmarks of the other packages and
// bench/serve.sh share it; the figures they produce are in RESULTS.md.
//
// Nothing here runs in a plain go test of the module beyond checks of the
// generator itself: the heavy work happens only under -bench or the bench
// command.
package bench
