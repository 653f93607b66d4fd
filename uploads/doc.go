// Package uploads takes documents into a running server: it keeps each
// uploaded file durably, records what became of it, and runs the
// ingestion jobs that turn the files into indexed documents.
//
// An upload is acknowledged only once its bytes are synced to disk and its
// job is recorded, so what was acknowledged survives a crash: at the next
// start every job that had not finished runs again. A job re-run is
// harmless, because the index replaces a document by its id in one step.
//
// A bounded pool of workers runs the jobs. Each job reads the file back,
// parses and cleans it into a corpus.Document, and hands it to the index,
// which chunks, embeds and publishes it; the record follows it from
// queued to processing to ready, or to failed with a reason the uploader
// can act on.
//
// The state lives behind the Store interface. BoltStore keeps the records
// in a bbolt database and the files in a folder of the data directory, for
// one process. PgStore keeps both in PostgreSQL, so that the processes of
// a deployment whose servers share one index (Weaviate) share the uploads
// too: any of them shows an upload's status, reads its file and may run
// its job. Package uploadstest is the contract both pass.
package uploads
