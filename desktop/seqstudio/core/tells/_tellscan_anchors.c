/* Anchors: a trie of every rule anchor, walked from each word start of a block; where one ends,
 * its targets (regexes, or bare words) are tried. The C twin of anchors.AnchorFinder's Python path. */
#include "_tellscan.h"

typedef struct {
    Py_UCS4 ch;
    int32_t node;
} Edge;

typedef struct {
    int32_t first_edge; /* index into edges */
    int32_t n_edges;
    int32_t first_out;  /* index into outs */
    int32_t n_out;
    int32_t table;      /* index of its dense ASCII table in Anchors.tables, or -1 */
} Node;

/* Nodes with this many children or more get a dense table for ASCII characters: the root's
 * children and the common first letters are where a walk spends its steps. */
#define DENSE_FROM 4

typedef struct {
    PyObject_HEAD
    Node *nodes;
    Py_ssize_t n_nodes;
    Edge *edges;
    int32_t *outs;
    int32_t *tables; /* blocks of 128 child nodes by ASCII code, -1 for none */
    PyObject *outputs; /* per anchor: (its length or -1, ((rule index, regex or None), ...)) */
} Anchors;

static void Anchors_clear(Anchors *self) {
    PyMem_Free(self->nodes);
    PyMem_Free(self->edges);
    PyMem_Free(self->outs);
    PyMem_Free(self->tables);
    self->nodes = NULL;
    self->edges = NULL;
    self->outs = NULL;
    self->tables = NULL;
    Py_CLEAR(self->outputs);
}

static void Anchors_dealloc(Anchors *self) {
    Anchors_clear(self);
    Py_TYPE(self)->tp_free((PyObject *)self);
}


/* Build from a sequence of str: a trie, edges of each node contiguous (built breadth-first from
 * a temporary pointer trie would be neater; a sorted insert into per-node lists is enough here). */
typedef struct TmpNode {
    Py_UCS4 *chars;
    struct TmpNode **kids;
    int n, cap;
    int32_t *outs;
    int n_out, cap_out;
    int32_t id;
} TmpNode;

static TmpNode *tmp_new(void) {
    TmpNode *t = PyMem_Calloc(1, sizeof(TmpNode));
    return t;
}

static void tmp_free(TmpNode *t) {
    if (!t) return;
    for (int i = 0; i < t->n; i++) tmp_free(t->kids[i]);
    PyMem_Free(t->chars);
    PyMem_Free(t->kids);
    PyMem_Free(t->outs);
    PyMem_Free(t);
}

static TmpNode *tmp_child(TmpNode *t, Py_UCS4 ch) {
    for (int i = 0; i < t->n; i++)
        if (t->chars[i] == ch) return t->kids[i];
    if (t->n == t->cap) {
        int cap = t->cap ? t->cap * 2 : 4;
        Py_UCS4 *chars = PyMem_Realloc(t->chars, cap * sizeof(Py_UCS4));
        if (!chars) return NULL;
        t->chars = chars;
        TmpNode **kids = PyMem_Realloc(t->kids, cap * sizeof(TmpNode *));
        if (!kids) return NULL;
        t->kids = kids;
        t->cap = cap;
    }
    TmpNode *kid = tmp_new();
    if (!kid) return NULL;
    t->chars[t->n] = ch;
    t->kids[t->n] = kid;
    t->n++;
    return kid;
}

static int tmp_add_out(TmpNode *t, int32_t value) {
    if (t->n_out == t->cap_out) {
        int cap = t->cap_out ? t->cap_out * 2 : 2;
        int32_t *outs = PyMem_Realloc(t->outs, cap * sizeof(int32_t));
        if (!outs) return -1;
        t->outs = outs;
        t->cap_out = cap;
    }
    t->outs[t->n_out++] = value;
    return 0;
}

static void tmp_count(TmpNode *t, Py_ssize_t *nodes, Py_ssize_t *edges, Py_ssize_t *outs) {
    (*nodes)++;
    *edges += t->n;
    *outs += t->n_out;
    for (int i = 0; i < t->n; i++) tmp_count(t->kids[i], nodes, edges, outs);
}

/* Number the nodes depth-first and lay out their edges and outputs contiguously. */
static void tmp_flatten(Anchors *a, TmpNode *t, Py_ssize_t *next_node, Py_ssize_t *next_edge,
                        Py_ssize_t *next_out) {
    int32_t id = (int32_t)(*next_node)++;
    t->id = id;
    Node *node = &a->nodes[id];
    node->first_out = (int32_t)*next_out;
    node->n_out = t->n_out;
    for (int i = 0; i < t->n_out; i++) a->outs[(*next_out)++] = t->outs[i];
    node->first_edge = (int32_t)*next_edge;
    node->n_edges = t->n;
    *next_edge += t->n;
    /* children sorted by character (insertion sort: a node has few) */
    for (int i = 1; i < t->n; i++) {
        Py_UCS4 ch = t->chars[i];
        TmpNode *kid = t->kids[i];
        int j = i - 1;
        while (j >= 0 && t->chars[j] > ch) {
            t->chars[j + 1] = t->chars[j];
            t->kids[j + 1] = t->kids[j];
            j--;
        }
        t->chars[j + 1] = ch;
        t->kids[j + 1] = kid;
    }
    for (int i = 0; i < t->n; i++) {
        tmp_flatten(a, t->kids[i], next_node, next_edge, next_out);
        a->edges[node->first_edge + i].ch = t->chars[i];
        a->edges[node->first_edge + i].node = t->kids[i]->id;
    }
}

/* An output is checked once here, so span_hits can read it without checks. */
static int valid_output(PyObject *output) {
    if (!PyTuple_Check(output) || PyTuple_GET_SIZE(output) != 2 || !PyLong_Check(PyTuple_GET_ITEM(output, 0)))
        return 0;
    PyObject *targets = PyTuple_GET_ITEM(output, 1);
    if (!PyTuple_Check(targets)) return 0;
    for (Py_ssize_t i = 0; i < PyTuple_GET_SIZE(targets); i++) {
        PyObject *target = PyTuple_GET_ITEM(targets, i);
        if (!PyTuple_Check(target) || PyTuple_GET_SIZE(target) != 2 || !PyLong_Check(PyTuple_GET_ITEM(target, 0)))
            return 0;
    }
    return 1;
}

static int Anchors_init(Anchors *self, PyObject *args, PyObject *kwds) {
    PyObject *words, *outputs;
    static char *kwlist[] = {"anchors", "outputs", NULL};
    if (!PyArg_ParseTupleAndKeywords(args, kwds, "OO!", kwlist, &words, &PyTuple_Type, &outputs)) return -1;
    Anchors_clear(self); /* __init__ called again: start afresh */
    PyObject *seq = PySequence_Fast(words, "anchors must be a sequence of str");
    if (!seq) return -1;
    if (PySequence_Fast_GET_SIZE(seq) != PyTuple_GET_SIZE(outputs)) {
        PyErr_SetString(PyExc_ValueError, "one output per anchor");
        Py_DECREF(seq);
        return -1;
    }
    for (Py_ssize_t i = 0; i < PyTuple_GET_SIZE(outputs); i++) {
        if (!valid_output(PyTuple_GET_ITEM(outputs, i))) {
            PyErr_SetString(PyExc_ValueError, "an output is (length, ((rule index, regex or None), ...))");
            Py_DECREF(seq);
            return -1;
        }
    }
    Py_INCREF(outputs);
    self->outputs = outputs;
    TmpNode *root = tmp_new();
    if (!root) { Py_DECREF(seq); PyErr_NoMemory(); return -1; }
    Py_ssize_t count = PySequence_Fast_GET_SIZE(seq);
    for (Py_ssize_t i = 0; i < count; i++) {
        PyObject *word = PySequence_Fast_GET_ITEM(seq, i);
        if (!PyUnicode_Check(word) || PyUnicode_GET_LENGTH(word) == 0) {
            PyErr_SetString(PyExc_ValueError, "every anchor must be a non-empty str");
            goto fail;
        }
        TmpNode *t = root;
        int kind = PyUnicode_KIND(word);
        const void *data = PyUnicode_DATA(word);
        for (Py_ssize_t j = 0; j < PyUnicode_GET_LENGTH(word); j++) {
            t = tmp_child(t, PyUnicode_READ(kind, data, j));
            if (!t) { PyErr_NoMemory(); goto fail; }
        }
        if (tmp_add_out(t, (int32_t)i) < 0) { PyErr_NoMemory(); goto fail; }
    }
    Py_ssize_t n_nodes = 0, n_edges = 0, n_outs = 0;
    tmp_count(root, &n_nodes, &n_edges, &n_outs);
    self->nodes = PyMem_Calloc(n_nodes, sizeof(Node));
    self->edges = PyMem_Calloc(n_edges ? n_edges : 1, sizeof(Edge));
    self->outs = PyMem_Calloc(n_outs ? n_outs : 1, sizeof(int32_t));
    if (!self->nodes || !self->edges || !self->outs) { PyErr_NoMemory(); goto fail; }
    self->n_nodes = n_nodes;
    Py_ssize_t nn = 0, ne = 0, no = 0;
    tmp_flatten(self, root, &nn, &ne, &no);
    Py_ssize_t n_tables = 0;
    for (Py_ssize_t i = 0; i < n_nodes; i++)
        n_tables += (i == 0 || self->nodes[i].n_edges >= DENSE_FROM);
    self->tables = PyMem_Malloc(n_tables * 128 * sizeof(int32_t));
    if (!self->tables) { PyErr_NoMemory(); goto fail; }
    Py_ssize_t next_table = 0;
    for (Py_ssize_t i = 0; i < n_nodes; i++) {
        Node *node = &self->nodes[i];
        node->table = -1;
        if (!(i == 0 || node->n_edges >= DENSE_FROM)) continue;
        node->table = (int32_t)next_table++;
        int32_t *table = &self->tables[node->table * 128];
        for (int c = 0; c < 128; c++) table[c] = -1;
        for (int32_t e = 0; e < node->n_edges; e++) {
            Edge edge = self->edges[node->first_edge + e];
            if (edge.ch < 128) table[edge.ch] = edge.node;
        }
    }
    tmp_free(root);
    Py_DECREF(seq);
    return 0;
fail:
    tmp_free(root);
    Py_DECREF(seq);
    return -1;
}

static inline int32_t child_of(const Anchors *a, int32_t node, Py_UCS4 ch) {
    const Node *n = &a->nodes[node];
    if (n->table >= 0 && ch < 128) return a->tables[n->table * 128 + ch];
    const Edge *e = &a->edges[n->first_edge];
    int32_t lo = 0, hi = n->n_edges;
    while (lo < hi) { /* edges are sorted by character */
        int32_t mid = (lo + hi) / 2;
        if (e[mid].ch < ch) lo = mid + 1;
        else hi = mid;
    }
    return (lo < n->n_edges && e[lo].ch == ch) ? e[lo].node : -1;
}

/* Where anchors start: (output index, start) pairs in a growing C array. */
typedef struct {
    int32_t *which;
    Py_ssize_t *start;
    Py_ssize_t n, cap;
} Found;

static int found_push(Found *f, int32_t which, Py_ssize_t start) {
    if (f->n == f->cap) {
        Py_ssize_t cap = f->cap ? f->cap * 2 : 64;
        int32_t *w = PyMem_Realloc(f->which, cap * sizeof(int32_t));
        if (!w) return -1;
        f->which = w;
        Py_ssize_t *s = PyMem_Realloc(f->start, cap * sizeof(Py_ssize_t));
        if (!s) return -1;
        f->start = s;
        f->cap = cap;
    }
    f->which[f->n] = which;
    f->start[f->n] = start;
    f->n++;
    return 0;
}

/* Every anchor occurrence at a word start (0, or after a character that is not alphanumeric). */
#define ANCHOR_SCAN(TYPE)                                                           \
    {                                                                               \
        const TYPE *p = (const TYPE *)data;                                         \
        int after_alnum = 0;                                                        \
        for (Py_ssize_t start = 0; start < length; start++) {                       \
            Py_UCS4 ch = p[start];                                                  \
            if (!after_alnum) {                                                     \
                int32_t node = child_of(a, 0, ch);                                  \
                Py_ssize_t pos = start + 1;                                         \
                while (node >= 0) {                                                 \
                    const Node *nd = &a->nodes[node];                               \
                    for (int32_t k = 0; k < nd->n_out; k++)                         \
                        if (found_push(f, a->outs[nd->first_out + k], start) < 0) return -1; \
                    if (pos >= length) break;                                       \
                    node = child_of(a, node, p[pos]);                               \
                    pos++;                                                          \
                }                                                                   \
            }                                                                       \
            after_alnum = is_alnum(ch);                                             \
        }                                                                           \
    }

static int anchor_scan(const Anchors *a, PyObject *flat, Found *f) {
    int kind = PyUnicode_KIND(flat);
    const void *data = PyUnicode_DATA(flat);
    Py_ssize_t length = PyUnicode_GET_LENGTH(flat);
    switch (kind) {
    case PyUnicode_1BYTE_KIND: ANCHOR_SCAN(Py_UCS1) break;
    case PyUnicode_2BYTE_KIND: ANCHOR_SCAN(Py_UCS2) break;
    default: ANCHOR_SCAN(Py_UCS4) break;
    }
    return 0;
}

/* One anchor occurrence tried against its targets: a bare word (regex None) matches if the word
 * ends there; a regex is matched on `text` at `start` and counts if it consumed something. */
static int try_targets(PyObject *hits, PyObject *targets, Py_ssize_t start, Py_ssize_t size,
                       PyObject *flat, PyObject *text, PyObject *match_name, PyObject *end_name) {
    Py_ssize_t count = PyTuple_GET_SIZE(targets);
    Py_ssize_t length = PyUnicode_GET_LENGTH(flat);
    for (Py_ssize_t i = 0; i < count; i++) {
        PyObject *target = PyTuple_GET_ITEM(targets, i);
        PyObject *index = PyTuple_GET_ITEM(target, 0);
        PyObject *regex = PyTuple_GET_ITEM(target, 1);
        Py_ssize_t end;
        if (regex == Py_None) {
            if (size < 0) continue; /* a run-of-spaces entry: bare words never need it */
            end = start + size;
            if (end < length && is_alnum(PyUnicode_READ_CHAR(flat, end))) continue;
        } else {
            PyObject *pos = PyLong_FromSsize_t(start);
            if (!pos) return -1;
            PyObject *argv[4] = {NULL, regex, text, pos};
            PyObject *found = PyObject_VectorcallMethod(
                match_name, argv + 1, 3 | PY_VECTORCALL_ARGUMENTS_OFFSET, NULL);
            Py_DECREF(pos);
            if (!found) return -1;
            if (found == Py_None) { Py_DECREF(found); continue; }
            PyObject *self_arg[1] = {found};
            PyObject *end_obj = PyObject_VectorcallMethod(end_name, self_arg, 1, NULL);
            Py_DECREF(found);
            if (!end_obj) return -1;
            end = PyLong_AsSsize_t(end_obj);
            Py_DECREF(end_obj);
            if (end == -1 && PyErr_Occurred()) return -1;
            if (end <= start) continue;
        }
        PyObject *hit = Py_BuildValue("(Onn)", index, start, -end);
        if (!hit || PyList_Append(hits, hit) < 0) { Py_XDECREF(hit); return -1; }
        Py_DECREF(hit);
    }
    return 0;
}

/* span_hits(flat, text) -> [(rule index, start, -end), ...]: for every anchor k that starts a word
 * of `flat` (at 0, or after a character that is not alphanumeric, as str.isalnum says), the
 * targets of outputs[k] = (anchor length or -1, ((rule index, regex or None), ...)) tried there,
 * as anchors.AnchorFinder does in Python. */
static PyObject *Anchors_span_hits(Anchors *self, PyObject *args) {
    PyObject *flat, *text;
    if (!PyArg_ParseTuple(args, "UU", &flat, &text)) return NULL;
    if (!self->nodes || !self->outputs) {
        PyErr_SetString(PyExc_RuntimeError, "Anchors was not initialised");
        return NULL;
    }
    PyObject *outputs = self->outputs;
    static PyObject *match_name = NULL, *end_name = NULL;
    if (!match_name && !(match_name = PyUnicode_InternFromString("match"))) return NULL;
    if (!end_name && !(end_name = PyUnicode_InternFromString("end"))) return NULL;
    Found f = {0};
    PyObject *out = NULL;
    if (anchor_scan(self, flat, &f) < 0) { PyErr_NoMemory(); goto done; }
    out = PyList_New(0);
    if (!out) goto done;
    Py_ssize_t n_outputs = PyTuple_GET_SIZE(outputs);
    for (Py_ssize_t i = 0; i < f.n; i++) {
        if (f.which[i] >= n_outputs) {
            PyErr_SetString(PyExc_IndexError, "an anchor has no output entry");
            Py_CLEAR(out);
            goto done;
        }
        PyObject *entry = PyTuple_GET_ITEM(outputs, f.which[i]);
        Py_ssize_t size = PyLong_AsSsize_t(PyTuple_GET_ITEM(entry, 0));
        if ((size == -1 && PyErr_Occurred()) ||
            try_targets(out, PyTuple_GET_ITEM(entry, 1), f.start[i], size, flat, text, match_name,
                        end_name) < 0) {
            Py_CLEAR(out);
            goto done;
        }
    }
done:
    PyMem_Free(f.which);
    PyMem_Free(f.start);
    return out;
}

static PyMethodDef Anchors_methods[] = {
    {"span_hits", (PyCFunction)Anchors_span_hits, METH_VARARGS, "span_hits(flat, text) -> hits"},
    {NULL, NULL, 0, NULL},
};

PyTypeObject TsAnchorsType = {
    PyVarObject_HEAD_INIT(NULL, 0)
    .tp_name = "seqstudio.core.tells._tellscan.Anchors",
    .tp_basicsize = sizeof(Anchors),
    .tp_dealloc = (destructor)Anchors_dealloc,
    .tp_flags = Py_TPFLAGS_DEFAULT,
    .tp_doc = "Anchors(anchors, outputs): where any anchor starts a word, and what its targets match.",
    .tp_methods = Anchors_methods,
    .tp_init = (initproc)Anchors_init,
    .tp_new = PyType_GenericNew,
};
