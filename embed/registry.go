package embed

import (
	"fmt"
	"sync"
)

// Registry hands out the embedder that makes vectors of a given spec, so
// that each collection's queries and documents are embedded by the model
// its vectors came from, whatever is configured now. Hash embedders are
// built from the spec alone; remote ones through Remote. It is safe for
// concurrent use and builds each embedder once.
type Registry struct {
	// Remote builds an embedder of the given kind and model (e.g.
	// "openai", "text-embedding-3-small") whose vectors have dim
	// dimensions; nil means none can be built.
	Remote func(kind, model string, dim int) (Embedder, error)

	mu    sync.Mutex
	built map[Spec]Embedder
}

// For returns the embedder of spec.
func (r *Registry) For(spec Spec) (Embedder, error) {
	r.mu.Lock()
	defer r.mu.Unlock()
	if e, ok := r.built[spec]; ok {
		return e, nil
	}
	var (
		e   Embedder
		err error
	)
	switch {
	case spec.Kind == hashKind && spec.Model == hashModel:
		e, err = NewHash(spec.Dim)
	case spec.Kind == hashKind:
		err = fmt.Errorf("hash embedder model %q is not this version's (%s)", spec.Model, hashModel)
	case r.Remote == nil:
		err = fmt.Errorf("the vectors are %s, and no %s embedding endpoint is configured", spec, spec.Kind)
	default:
		e, err = r.Remote(spec.Kind, spec.Model, spec.Dim)
	}
	if err != nil {
		return nil, fmt.Errorf("embedder for %s: %w", spec, err)
	}
	if r.built == nil {
		r.built = map[Spec]Embedder{}
	}
	r.built[spec] = e
	return e, nil
}
