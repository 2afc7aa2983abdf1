/* The tell detector's hot loops in C: where rule anchors start in a block and what their
 * targets match there (Anchors.span_hits), the flags made of those hits (flags_from), and the
 * counts behind the document measures (document_counts).
 *
 * Why C: benchmarks/tells_speed.py. In Python these loops cost about 60% of a 300-word email's
 * analysis; issue 5 asks for 100x proselint, which the Python path reaches about half of.
 * Every function returns exactly what its Python twin in detector.py or sentences.py returns;
 * tests/core/tells/test_native.py compares them on thousands of texts, and the Python twins run
 * wherever this is not built (seqstudio.core.tells.native). Built by hatch_build.py. */
#define PY_SSIZE_T_CLEAN
#include <Python.h>

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

/* str.isalnum() of one character; a table for ASCII, where almost every character of an email is. */
static unsigned char ascii_alnum[128];

static inline int is_alnum(Py_UCS4 ch) {
    return ch < 128 ? ascii_alnum[ch] : Py_UNICODE_ISALNUM(ch);
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

static PyTypeObject AnchorsType = {
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

/* document_counts: sentences.document_measures' counts in one pass over the text. */

/* A character's part in the sentence count: 1 a break mark (. ! ? …), 2 a line break, 3 white
 * space as str.split() sees it, 0 anything else. */
static unsigned char ascii_sentence_class[128];

static inline int sentence_class(Py_UCS4 c) {
    if (c < 128) return ascii_sentence_class[c];
    if (c == 0x2026) return 1;
    return Py_UNICODE_ISSPACE(c) ? 3 : 0;
}

static inline int is_emoji(Py_UCS4 c) { /* as sentences.count_emoji_bytes counts them */
    return (c >= 0x1F000 && c <= 0x1FFFF) || (c >= 0x2600 && c <= 0x27BF) || (c >= 0x2B00 && c <= 0x2BFF);
}

static int push_count(PyObject *out, long words) {
    PyObject *value = PyLong_FromLong(words);
    if (!value) return -1;
    int result = PyList_Append(out, value);
    Py_DECREF(value);
    return result;
}

/* Words are counted without a branch per character (letters and spaces alternate unpredictably);
 * the rarer marks take the branches. Dashes are counted as str.count counts: without overlaps. */
#define DOCUMENT_SCAN(TYPE)                                                               \
    {                                                                                     \
        const TYPE *p = (const TYPE *)data;                                               \
        for (Py_ssize_t i = 0; i < n; i++) {                                              \
            Py_UCS4 c = p[i];                                                             \
            if (c >= 128) {                                                               \
                emoji += is_emoji(c);                                                     \
                if (c == 0x2014) em_dashes++;                                             \
                if (c == 0x2013 && i >= 1 && i + 1 < n && p[i - 1] == ' ' && p[i + 1] == ' ' && \
                    i - 1 >= en_end) {                                                    \
                    en_dashes++;                                                          \
                    en_end = i + 2;                                                       \
                }                                                                         \
            } else if (c == '-' && i >= 1 && i + 2 < n && p[i - 1] == ' ' && p[i + 1] == '-' && \
                       p[i + 2] == ' ' && i - 1 >= hyphen_end) {                          \
                hyphen_dashes++;                                                          \
                hyphen_end = i + 3;                                                       \
            }                                                                             \
            int cls = sentence_class(c);                                                  \
            if (cls == 1 || cls == 2) {                                                   \
                if (cls == 1 && !(i + 1 < n && p[i + 1] == ' ')) {                        \
                    words += !in_word;                                                    \
                    in_word = 1;                                                          \
                    continue;                                                             \
                }                                                                         \
                if (cls == 1) i++; /* ". " is one break; the space is neither word nor dash */ \
                if (words && push_count(lengths, words) < 0) goto fail;                   \
                words = 0;                                                                \
                in_word = 0;                                                              \
                continue;                                                                 \
            }                                                                             \
            int letter = (cls == 0);                                                      \
            words += letter & !in_word;                                                   \
            in_word = letter;                                                             \
        }                                                                                 \
    }

/* document_counts(text) -> (sentence lengths, emoji, dashes, em dashes), as sentences.py counts
 * them: sentence_lengths(text) ("! ", "? ", "… " and "\n" end a sentence like ". ", words are
 * runs of non-space as str.split() sees them, sentences without words left out),
 * count_emoji_bytes, count_dashes and count_em_dashes. */
static PyObject *document_counts(PyObject *module, PyObject *text) {
    if (!PyUnicode_Check(text)) {
        PyErr_SetString(PyExc_TypeError, "document_counts() takes a str");
        return NULL;
    }
    int kind = PyUnicode_KIND(text);
    const void *data = PyUnicode_DATA(text);
    Py_ssize_t n = PyUnicode_GET_LENGTH(text);
    PyObject *lengths = PyList_New(0);
    if (!lengths) return NULL;
    long words = 0;
    int in_word = 0;
    Py_ssize_t emoji = 0, em_dashes = 0, en_dashes = 0, hyphen_dashes = 0, en_end = 0, hyphen_end = 0;
    switch (kind) {
    case PyUnicode_1BYTE_KIND: DOCUMENT_SCAN(Py_UCS1) break;
    case PyUnicode_2BYTE_KIND: DOCUMENT_SCAN(Py_UCS2) break;
    default: DOCUMENT_SCAN(Py_UCS4) break;
    }
    if (words && push_count(lengths, words) < 0) goto fail;
    return Py_BuildValue("(Nnnn)", lengths, emoji, em_dashes + en_dashes + hyphen_dashes, em_dashes);
fail:
    Py_DECREF(lengths);
    return NULL;
}

/* flat_form(text, lowered) -> str: detector.flat_form(text) given lowered = text.lower(): the
 * lower-cased text (the text itself if lowering changed its length) with straight apostrophes,
 * no-break, soft-break and tab spaces as spaces, and line breaks as the three replaces there
 * leave them: within a run of n breaks, pairs stay (as NUL pairs), an odd last one becomes a
 * space, then NUL pairs, old and new, become blank lines. Same length as `text`. */
static inline Py_UCS4 flat_char(Py_UCS4 c) {
    if (c == 0x2019 || c == 0x02BC) return '\'';
    if (c == 0x2028 || c == 0x00A0 || c == '\t') return ' ';
    return c;
}

static PyObject *flat_form(PyObject *module, PyObject *args) {
    PyObject *text, *lowered;
    if (!PyArg_ParseTuple(args, "UU", &text, &lowered)) return NULL;
    PyObject *base = PyUnicode_GET_LENGTH(lowered) == PyUnicode_GET_LENGTH(text) ? lowered : text;
    Py_ssize_t n = PyUnicode_GET_LENGTH(base);
    int kind = PyUnicode_KIND(base);
    const void *data = PyUnicode_DATA(base);
    Py_ssize_t nul = PyUnicode_FindChar(base, 0, 0, n, 1);
    if (nul == -2) return NULL;
    if (nul == -1 && PyUnicode_IS_ASCII(base)) {
        /* The common case in one pass, straight into the result: without NULs the replaces leave
         * a run of n line breaks as n breaks, the last one a space when n is odd. */
        PyObject *out = PyUnicode_New(n, 127);
        if (!out) return NULL;
        const Py_UCS1 *in = data;
        Py_UCS1 *target = PyUnicode_1BYTE_DATA(out);
        for (Py_ssize_t i = 0; i < n;) {
            Py_UCS1 c = in[i];
            if (c != '\n') { target[i++] = c == '\t' ? ' ' : c; continue; }
            Py_ssize_t end = i;
            while (end < n && in[end] == '\n') end++;
            for (Py_ssize_t k = i; k < end; k++) target[k] = '\n';
            if ((end - i) % 2) target[end - 1] = ' ';
            i = end;
        }
        return out;
    }
    Py_UCS4 *buf = PyMem_Malloc((n ? n : 1) * sizeof(Py_UCS4));
    if (!buf) return PyErr_NoMemory();
    int breaks = 0, pairs = 0;
    for (Py_ssize_t i = 0; i < n; i++) {
        Py_UCS4 c = flat_char(PyUnicode_READ(kind, data, i));
        if (c == '\n') { breaks = 1; pairs |= (i > 0 && buf[i - 1] == '\n'); }
        buf[i] = c;
    }
    if (breaks && !(pairs || nul >= 0)) {
        for (Py_ssize_t i = 0; i < n; i++) if (buf[i] == '\n') buf[i] = ' ';
    } else if (breaks) {
        for (Py_ssize_t i = 0; i < n;) { /* runs of breaks: pairs to NUL pairs, an odd last one a space */
            if (buf[i] != '\n') { i++; continue; }
            Py_ssize_t end = i;
            while (end < n && buf[end] == '\n') end++;
            Py_ssize_t run = end - i;
            for (Py_ssize_t k = 0; k < run; k++) buf[i + k] = (run % 2 && k == run - 1) ? ' ' : 0;
            i = end;
        }
        for (Py_ssize_t i = 0; i + 1 < n;) { /* NUL pairs, left to right, to blank lines */
            if (buf[i] == 0 && buf[i + 1] == 0) { buf[i] = buf[i + 1] = '\n'; i += 2; }
            else i++;
        }
    }
    PyObject *out = PyUnicode_FromKindAndData(PyUnicode_4BYTE_KIND, buf, n);
    PyMem_Free(buf);
    return out;
}

/* flags_from: Detector._flags_from and _without_nested in one pass over C arrays. */
typedef struct {
    Py_ssize_t index, start, negative_end;
} Hit;

typedef struct {
    Py_ssize_t start, negative_end, negative_severity;
    PyObject *rule_id; /* borrowed from parts */
    PyObject *flag;    /* owned */
} Nest;

static int hit_order(const void *a, const void *b) {
    const Hit *x = a, *y = b;
    if (x->index != y->index) return x->index < y->index ? -1 : 1;
    if (x->start != y->start) return x->start < y->start ? -1 : 1;
    if (x->negative_end != y->negative_end) return x->negative_end < y->negative_end ? -1 : 1;
    return 0;
}

static int nest_order(const void *a, const void *b) {
    const Nest *x = a, *y = b;
    if (x->start != y->start) return x->start < y->start ? -1 : 1;
    if (x->negative_end != y->negative_end) return x->negative_end < y->negative_end ? -1 : 1;
    if (x->negative_severity != y->negative_severity)
        return x->negative_severity < y->negative_severity ? -1 : 1;
    /* then by rule id, as Python compares the tuples (str comparison cannot fail) */
    return PyUnicode_Compare(x->rule_id, y->rule_id);
}

/* flags_from(text, hits, parts, skipped, allows_text, start_back, flag_type) -> [Flag, ...]
 * parts[i] = (rule id, category, severity, why, suggestions, extend_back_words) per rule index;
 * skipped: a set of rule ids or None; allows_text: a callable(str) -> bool or None;
 * start_back: callable(text, start, words) -> int. */
static PyObject *flags_from(PyObject *module, PyObject *args) {
    PyObject *text, *hits_list, *parts, *skipped, *allows_text, *start_back;
    PyTypeObject *flag_type;
    if (!PyArg_ParseTuple(args, "UO!O!OOOO!", &text, &PyList_Type, &hits_list, &PyTuple_Type, &parts,
                          &skipped, &allows_text, &start_back, &PyType_Type, &flag_type))
        return NULL;
    static PyObject *span = NULL;
    if (!span && !(span = PyUnicode_InternFromString("span"))) return NULL;
    Py_ssize_t n = PyList_GET_SIZE(hits_list);
    Hit *hits = PyMem_Malloc((n ? n : 1) * sizeof(Hit));
    Nest *nest = PyMem_Malloc((n ? n : 1) * sizeof(Nest));
    Py_ssize_t kept = 0;
    PyObject *out = NULL;
    if (!hits || !nest) { PyErr_NoMemory(); goto done; }
    for (Py_ssize_t i = 0; i < n; i++) {
        PyObject *hit = PyList_GET_ITEM(hits_list, i);
        if (!PyTuple_Check(hit) || PyTuple_GET_SIZE(hit) != 3) {
            PyErr_SetString(PyExc_TypeError, "a hit is (rule index, start, -end)");
            goto done;
        }
        hits[i].index = PyLong_AsSsize_t(PyTuple_GET_ITEM(hit, 0));
        hits[i].start = PyLong_AsSsize_t(PyTuple_GET_ITEM(hit, 1));
        hits[i].negative_end = PyLong_AsSsize_t(PyTuple_GET_ITEM(hit, 2));
        if (PyErr_Occurred()) goto done;
        if (hits[i].index < 0 || hits[i].index >= PyTuple_GET_SIZE(parts)) {
            PyErr_SetString(PyExc_IndexError, "a hit names no rule");
            goto done;
        }
    }
    qsort(hits, n, sizeof(Hit), hit_order);
    int check_skipped = skipped != Py_None && PyObject_IsTrue(skipped) == 1;
    Py_ssize_t last_index = -1, last_end = -1;
    for (Py_ssize_t i = 0; i < n; i++) {
        PyObject *part = PyTuple_GET_ITEM(parts, hits[i].index);
        if (!PyTuple_Check(part) || PyTuple_GET_SIZE(part) != 6) {
            PyErr_SetString(PyExc_TypeError, "a rule's parts are (id, category, severity, why, suggestions, back)");
            goto done;
        }
        PyObject *rule_id = PyTuple_GET_ITEM(part, 0);
        if (check_skipped) {
            int in = PySequence_Contains(skipped, rule_id);
            if (in < 0) goto done;
            if (in) continue;
        }
        Py_ssize_t start = hits[i].start;
        PyObject *back = PyTuple_GET_ITEM(part, 5);
        int wants_back = PyObject_IsTrue(back);
        if (wants_back < 0) goto done;
        if (wants_back) {
            PyObject *moved = PyObject_CallFunction(start_back, "OnO", text, start, back);
            if (!moved) goto done;
            start = PyLong_AsSsize_t(moved);
            Py_DECREF(moved);
            if (start == -1 && PyErr_Occurred()) goto done;
        }
        if (hits[i].index == last_index && start < last_end) continue;
        Py_ssize_t end = -hits[i].negative_end;
        PyObject *found = PyUnicode_Substring(text, start, end);
        if (!found) goto done;
        if (allows_text != Py_None) {
            PyObject *allowed = PyObject_CallOneArg(allows_text, found);
            if (!allowed) { Py_DECREF(found); goto done; }
            int yes = PyObject_IsTrue(allowed);
            Py_DECREF(allowed);
            if (yes < 0) { Py_DECREF(found); goto done; }
            if (yes) { Py_DECREF(found); continue; }
        }
        last_index = hits[i].index;
        last_end = end;
        PyObject *flag = flag_type->tp_alloc(flag_type, 9);
        if (!flag) { Py_DECREF(found); goto done; }
        PyObject *severity = PyTuple_GET_ITEM(part, 2);
        PyObject *items[9] = {rule_id, PyTuple_GET_ITEM(part, 1), NULL, NULL, found, severity,
                              PyTuple_GET_ITEM(part, 3), PyTuple_GET_ITEM(part, 4), span};
        items[2] = PyLong_FromSsize_t(start);
        items[3] = PyLong_FromSsize_t(end);
        if (!items[2] || !items[3]) {
            Py_XDECREF(items[2]); Py_XDECREF(items[3]); Py_DECREF(found); Py_DECREF(flag); goto done;
        }
        for (int k = 0; k < 9; k++) {
            if (k != 2 && k != 3 && k != 4) Py_INCREF(items[k]);
            PyTuple_SET_ITEM(flag, k, items[k]); /* steals */
        }
        Py_ssize_t sev = PyLong_AsSsize_t(severity);
        if (sev == -1 && PyErr_Occurred()) { Py_DECREF(flag); goto done; }
        nest[kept].start = start;
        nest[kept].negative_end = hits[i].negative_end;
        nest[kept].negative_severity = -sev;
        nest[kept].rule_id = rule_id;
        nest[kept].flag = flag;
        kept++;
    }
    qsort(nest, kept, sizeof(Nest), nest_order);
    out = PyList_New(0);
    if (!out) goto done;
    Py_ssize_t cover_end = -1, cover_severity = 0;
    for (Py_ssize_t i = 0; i < kept; i++) {
        Py_ssize_t end = -nest[i].negative_end, severity = -nest[i].negative_severity;
        if (end <= cover_end && severity <= cover_severity) continue;
        if (PyList_Append(out, nest[i].flag) < 0) { Py_CLEAR(out); goto done; }
        if (end > cover_end) {
            cover_end = end;
            cover_severity = severity;
        }
    }
done:
    for (Py_ssize_t i = 0; i < kept; i++) Py_DECREF(nest[i].flag);
    PyMem_Free(hits);
    PyMem_Free(nest);
    return out;
}

static PyMethodDef module_methods[] = {
    {"flat_form", flat_form, METH_VARARGS, "flat_form(text, lowered) -> str"},
    {"document_counts", document_counts, METH_O, "document_counts(text) -> (lengths, emoji, dashes, em dashes)"},
    {"flags_from", flags_from, METH_VARARGS, "flags_from(text, hits, parts, skipped, allows_text, start_back, flag_type)"},
    {NULL, NULL, 0, NULL},
};

static struct PyModuleDef module = {
    PyModuleDef_HEAD_INIT, "_tellscan", "Hot loops of the tell detector.", -1, module_methods,
};

PyMODINIT_FUNC PyInit__tellscan(void) {
    for (Py_UCS4 c = 0; c < 128; c++) {
        ascii_alnum[c] = (unsigned char)(Py_UNICODE_ISALNUM(c) != 0);
        ascii_sentence_class[c] = (c == '.' || c == '!' || c == '?') ? 1 : c == '\n' ? 2
                                  : Py_UNICODE_ISSPACE(c) ? 3 : 0;
    }
    if (PyType_Ready(&AnchorsType) < 0) return NULL;
    PyObject *m = PyModule_Create(&module);
    if (!m) return NULL;
    Py_INCREF(&AnchorsType);
    if (PyModule_AddObject(m, "Anchors", (PyObject *)&AnchorsType) < 0) {
        Py_DECREF(&AnchorsType);
        Py_DECREF(m);
        return NULL;
    }
#ifndef SOURCE_SHA256
#define SOURCE_SHA256 ""
#endif
    /* The hash of this file when it was built: a build older than its source is not used. */
    if (PyModule_AddStringConstant(m, "SOURCE_SHA256", SOURCE_SHA256) < 0) {
        Py_DECREF(m);
        return NULL;
    }
    return m;
}
