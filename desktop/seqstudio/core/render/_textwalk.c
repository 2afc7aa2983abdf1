/* The plain-text walk of plaintext.py (_walk, _Writer, _link_text) in C, over the tree that
 * selectolax's lexbor built, for paragraphs_in and block_paragraphs_in; and the inline styles
 * below an element, for the css-support check of a framed email's block (frame_facts.py).
 *
 * Why C: benchmarks/render_speed.py. The walk was the largest part of checking an email once
 * the frame is read apart (frame_facts.py), and issue 6 asks for 30x the premailer pipeline.
 *
 * How it reads the tree: selectolax exports lexbor's functions from its own module, and a
 * node's mem_id is its lxb_dom_node_t address. This looks the functions up in that module
 * (dlsym) and uses only functions, never lexbor's structs, so a different layout of lexbor's
 * structs cannot misread memory. A caller must hold the node's LexborNode (and so its tree)
 * while a call runs. The string steps are the Python ones: called through the C API
 * (str.split, str.strip, str.lower, the hidden-style regex for styles that are not ASCII,
 * textwrap for lines that are not printable) or, where they run for every line or style,
 * written here to the same rules (the white-space collapse, the greedy wrap, the hidden-style
 * test of ASCII styles), so the result is the Python walk's. tests/core/render/test_textwalk.py
 * compares them, and the Python walk runs wherever this is not built or selectolax lacks a
 * function (plaintext._load_text_walk, seqstudio.core.native). */
#define PY_SSIZE_T_CLEAN
#include <Python.h>
#include <dlfcn.h>
#include <stdbool.h>
#include <string.h>

typedef void Node; /* lxb_dom_node_t, opaque */

static Node *(*first_child)(Node *);
static Node *(*next_sibling)(Node *);
static int (*node_type)(Node *);
static const unsigned char *(*qualified_name)(Node *, size_t *);
static const unsigned char *(*get_attribute)(Node *, const unsigned char *, size_t, size_t *);
static bool (*has_attribute)(Node *, const unsigned char *, size_t);
static unsigned char *(*text_content)(Node *, size_t *);

enum { ELEMENT = 1, TEXT = 3 };
#define WIDTH 72

/* The Python parts, given to init(): the regexes and plaintext.wrap. */
static PyObject *hidden_re, *wrap_fn;
static PyObject *s_empty, *s_space, *s_newline, *s_paragraph_break, *s_rule, *s_search, *s_strip,
    *s_lower, *s_rstrip, *s_slash, *s_none, *s_mso_hide, *s_dash_marker;
static int ready;

typedef struct {
    PyObject *prefix, *follow; /* str */
    long item;
    bool has_text;
    PyObject *lines; /* list of lists of str */
} Block;

typedef struct {
    PyObject *paragraphs; /* list of (str, int) */
    Block block;
    long quote_depth;
    long lists;
} Writer;

typedef struct {
    long counter, key;
} ListLevel;

typedef struct {
    ListLevel *levels;
    Py_ssize_t size, capacity;
} ListStack;

/* ---- names and attributes ---- */

static bool name_is(const unsigned char *name, size_t len, const char *want) {
    size_t n = strlen(want);
    return len == n && memcmp(name, want, n) == 0;
}

static bool name_in(const unsigned char *name, size_t len, const char *const *set) {
    for (; *set; set++)
        if (name_is(name, len, *set)) return true;
    return false;
}

static const char *const SKIP[] = {"head", "style", "script", "title", "template", "noscript", "meta", "link",
                                   "img", NULL};
static const char *const BLOCKS[] = {"p", "div", "h1", "h2", "h3", "h4", "h5", "h6", "table", "tr", "section",
                                     "article", "header", "footer", "center", "dl", "dt", "dd", "address",
                                     "form", "fieldset", "main", "nav", "figure", NULL};

/* An attribute's value as str, "" for one without a value, or NULL (no error) when absent. */
static PyObject *attribute(Node *node, const char *name, bool *present) {
    size_t len = 0;
    *present = has_attribute(node, (const unsigned char *)name, strlen(name));
    if (!*present) return NULL;
    const unsigned char *value = get_attribute(node, (const unsigned char *)name, strlen(name), &len);
    if (!value) return Py_NewRef(s_empty);
    return PyUnicode_DecodeUTF8((const char *)value, (Py_ssize_t)len, "replace");
}

static PyObject *node_text(Node *node) {
    size_t len = 0;
    unsigned char *data = text_content(node, &len); /* a copy in the document's arena, freed with it */
    if (!data) return Py_NewRef(s_empty);
    return PyUnicode_DecodeUTF8((const char *)data, (Py_ssize_t)len, "replace");
}

/* Whether UTF-8 text is ASCII white space alone and not empty, so str.isspace() of it is true
 * (the test without decoding it). */
static bool ascii_space(const unsigned char *data, size_t len) {
    if (!len) return false;
    for (size_t i = 0; i < len; i++)
        if (data[i] != ' ' && data[i] != '\n' && data[i] != '\t' && data[i] != '\r' && data[i] != '\f' &&
            data[i] != '\v')
            return false;
    return true;
}

/* str.isspace(): false for "" */
static bool is_space(PyObject *text) {
    Py_ssize_t n = PyUnicode_GET_LENGTH(text);
    if (n == 0) return false;
    int kind = PyUnicode_KIND(text);
    const void *data = PyUnicode_DATA(text);
    for (Py_ssize_t i = 0; i < n; i++)
        if (!Py_UNICODE_ISSPACE(PyUnicode_READ(kind, data, i))) return false;
    return true;
}

/* The characters _SPACE collapses. */
static bool is_run_space(Py_UCS4 c) { return c == ' ' || c == '\t' || c == '\r' || c == '\n' || c == '\f' || c == 0xA0; }

/* ---- the writer ---- */

static int block_init(Block *block, PyObject *prefix, PyObject *follow, long item) {
    block->prefix = Py_NewRef(prefix);
    block->follow = Py_NewRef(follow);
    block->item = item;
    block->has_text = false;
    block->lines = Py_BuildValue("[[]]");
    return block->lines ? 0 : -1;
}

static void block_clear(Block *block) {
    Py_CLEAR(block->prefix);
    Py_CLEAR(block->follow);
    Py_CLEAR(block->lines);
}

static int writer_init(Writer *w) {
    w->quote_depth = 0;
    w->lists = 0;
    w->paragraphs = PyList_New(0);
    if (!w->paragraphs) return -1;
    if (block_init(&w->block, s_empty, s_empty, 0) < 0) {
        Py_CLEAR(w->paragraphs);
        return -1;
    }
    return 0;
}

static void writer_clear(Writer *w) {
    Py_CLEAR(w->paragraphs);
    block_clear(&w->block);
}

static PyObject *last_line(Writer *w) {
    return PyList_GET_ITEM(w->block.lines, PyList_GET_SIZE(w->block.lines) - 1);
}

static int writer_text(Writer *w, PyObject *text) {
    if (is_space(text)) {
        if (w->block.has_text) return PyList_Append(last_line(w), s_space);
        return 0;
    }
    w->block.has_text = true;
    return PyList_Append(last_line(w), text);
}

static int writer_line_break(Writer *w) {
    PyObject *line = PyList_New(0);
    if (!line) return -1;
    int status = PyList_Append(w->block.lines, line);
    Py_DECREF(line);
    return status;
}

static int reset_lines(Block *block) {
    PyObject *lines = Py_BuildValue("[[]]");
    if (!lines) return -1;
    Py_SETREF(block->lines, lines);
    return 0;
}

static int new_block(Writer *w, PyObject *prefix, PyObject *follow, long item) {
    Block fresh;
    if (block_init(&fresh, prefix, follow, item) < 0) return -1;
    block_clear(&w->block);
    w->block = fresh;
    return 0;
}

static PyObject *repeat(const char *piece, long times) {
    PyObject *one = PyUnicode_FromString(piece);
    if (!one) return NULL;
    PyObject *out = PySequence_Repeat(one, times > 0 ? times : 0);
    Py_DECREF(one);
    return out;
}

/* _SPACE.sub(" ", text).strip(): runs of space, tab, CR, LF, FF and no-break space made one
 * space, then white space as str.strip() sees it taken off both ends. */
static PyObject *collapsed(PyObject *text) {
    Py_ssize_t n = PyUnicode_GET_LENGTH(text);
    int kind = PyUnicode_KIND(text);
    const void *data = PyUnicode_DATA(text);
    Py_UCS4 *out = PyMem_Malloc((size_t)(n ? n : 1) * sizeof(Py_UCS4));
    if (!out) return PyErr_NoMemory();
    Py_ssize_t size = 0;
    for (Py_ssize_t i = 0; i < n; i++) {
        Py_UCS4 c = PyUnicode_READ(kind, data, i);
        if (is_run_space(c)) {
            if (i && is_run_space(PyUnicode_READ(kind, data, i - 1))) continue;
            c = ' ';
        }
        out[size++] = c;
    }
    Py_ssize_t start = 0, end = size;
    while (start < end && Py_UNICODE_ISSPACE(out[start])) start++;
    while (end > start && Py_UNICODE_ISSPACE(out[end - 1])) end--;
    PyObject *result = PyUnicode_FromKindAndData(PyUnicode_4BYTE_KIND, out + start, end - start);
    PyMem_Free(out);
    return result;
}

/* lines.append(indent + line[start:end]) */
static int append_line(PyObject *lines, PyObject *indent, PyObject *line, Py_ssize_t start, Py_ssize_t end) {
    PyObject *text = PyUnicode_Substring(line, start, end);
    PyObject *whole = text ? PyUnicode_Concat(indent, text) : NULL;
    int status = whole ? PyList_Append(lines, whole) : -1;
    Py_XDECREF(text);
    Py_XDECREF(whole);
    return status;
}

/* plaintext.wrap: greedy lines of words, long words whole; textwrap's own rules (through the
 * Python function) for a line with characters that are not printable, or indents with no room. */
static PyObject *wrap(PyObject *line, PyObject *first, PyObject *follow) {
    Py_ssize_t n = PyUnicode_GET_LENGTH(line), first_len = PyUnicode_GET_LENGTH(first),
               follow_len = PyUnicode_GET_LENGTH(follow);
    int kind = PyUnicode_KIND(line);
    const void *data = PyUnicode_DATA(line);
    bool printable = WIDTH - (first_len > follow_len ? first_len : follow_len) >= 2;
    for (Py_ssize_t i = 0; printable && i < n; i++) printable = Py_UNICODE_ISPRINTABLE(PyUnicode_READ(kind, data, i));
    if (!printable) return PyObject_CallFunctionObjArgs(wrap_fn, line, first, follow, NULL);
    PyObject *lines = PyList_New(0);
    if (!lines) return NULL;
    PyObject *indent = first;
    Py_ssize_t room = WIDTH - first_len;
    Py_ssize_t start = -1, end = 0; /* the words on the line being filled: line[start:end] */
    Py_ssize_t word = 0;
    for (Py_ssize_t i = 0; i <= n; i++) {
        if (i < n && PyUnicode_READ(kind, data, i) != ' ') continue;
        Py_ssize_t word_len = i - word; /* line.split(" "): the word line[word:i] */
        if (start >= 0 && (end - start) + 1 + word_len <= room) {
            end = i;
        } else {
            if (start >= 0) {
                if (append_line(lines, indent, line, start, end) < 0) {
                    Py_DECREF(lines);
                    return NULL;
                }
                indent = follow;
                room = WIDTH - follow_len;
            }
            start = word;
            end = i;
        }
        word = i + 1;
    }
    if (start >= 0 && append_line(lines, indent, line, start, end) < 0) {
        Py_DECREF(lines);
        return NULL;
    }
    return lines;
}

/* The block's lines collapsed, stripped and wrapped (Python: the loop in _Writer.end_block). */
static PyObject *wrapped_lines(Writer *w) {
    Block *block = &w->block;
    PyObject *wrapped = PyList_New(0), *quote = repeat("> ", w->quote_depth);
    if (!wrapped || !quote) goto fail;
    for (Py_ssize_t i = 0; i < PyList_GET_SIZE(block->lines); i++) {
        PyObject *joined = PyUnicode_Join(s_empty, PyList_GET_ITEM(block->lines, i));
        if (!joined) goto fail;
        PyObject *line = collapsed(joined);
        Py_DECREF(joined);
        if (!line) goto fail;
        if (PyUnicode_GET_LENGTH(line) == 0) {
            Py_DECREF(line);
            continue;
        }
        PyObject *first = PyUnicode_Concat(quote, PyList_GET_SIZE(wrapped) ? block->follow : block->prefix);
        if (!first) {
            Py_DECREF(line);
            goto fail;
        }
        int status;
        if (PyUnicode_GET_LENGTH(first) + PyUnicode_GET_LENGTH(line) <= WIDTH) {
            PyObject *whole = PyUnicode_Concat(first, line);
            status = whole ? PyList_Append(wrapped, whole) : -1;
            Py_XDECREF(whole);
        } else {
            PyObject *follow = PyUnicode_Concat(quote, block->follow);
            PyObject *lines = follow ? wrap(line, first, follow) : NULL;
            status = lines ? PyList_SetSlice(wrapped, PY_SSIZE_T_MAX, PY_SSIZE_T_MAX, lines) : -1;
            Py_XDECREF(follow);
            Py_XDECREF(lines);
        }
        Py_DECREF(first);
        Py_DECREF(line);
        if (status < 0) goto fail;
    }
    Py_DECREF(quote);
    return wrapped;
fail:
    Py_XDECREF(wrapped);
    Py_XDECREF(quote);
    return NULL;
}

static int writer_end_block(Writer *w, PyObject *prefix, PyObject *follow, long item) {
    Block *block = &w->block;
    bool no_prefix = PyUnicode_GET_LENGTH(prefix) == 0;
    bool last_empty = PyList_GET_SIZE(last_line(w)) == 0;
    if (!block->has_text) {
        if (PyUnicode_GET_LENGTH(block->prefix) && no_prefix) return 0;
        if (no_prefix && !item && !block->item && last_empty) return reset_lines(block);
        return new_block(w, prefix, follow, item);
    }
    PyObject *wrapped = wrapped_lines(w);
    if (!wrapped) return -1;
    if (PyList_GET_SIZE(wrapped)) {
        PyObject *text = PyUnicode_Join(s_newline, wrapped);
        PyObject *paragraph = text ? Py_BuildValue("(Nl)", text, block->item) : NULL;
        int status = paragraph ? PyList_Append(w->paragraphs, paragraph) : -1;
        Py_XDECREF(paragraph);
        Py_DECREF(wrapped);
        if (status < 0) return -1;
    } else {
        Py_DECREF(wrapped);
        if (PyUnicode_GET_LENGTH(block->prefix) && no_prefix) return 0;
        if (no_prefix && !item && !block->item && last_empty) return reset_lines(block);
    }
    return new_block(w, prefix, follow, item);
}

static int end_plain_block(Writer *w) { return writer_end_block(w, s_empty, s_empty, 0); }

/* _joined: items of one list joined by one newline, other paragraphs by a blank line */
static PyObject *joined(PyObject *paragraphs) {
    PyObject *parts = PyList_New(0);
    if (!parts) return NULL;
    long previous = 0;
    for (Py_ssize_t i = 0; i < PyList_GET_SIZE(paragraphs); i++) {
        PyObject *paragraph = PyList_GET_ITEM(paragraphs, i);
        long item = PyLong_AsLong(PyTuple_GET_ITEM(paragraph, 1));
        if (i && PyList_Append(parts, item && item == previous ? s_newline : s_paragraph_break) < 0) goto fail;
        if (PyList_Append(parts, PyTuple_GET_ITEM(paragraph, 0)) < 0) goto fail;
        previous = item;
    }
    PyObject *out = PyUnicode_Join(s_empty, parts);
    Py_DECREF(parts);
    return out;
fail:
    Py_DECREF(parts);
    return NULL;
}

/* " ".join(text.split()) */
static PyObject *words(PyObject *text) {
    PyObject *split = PyUnicode_Split(text, NULL, -1);
    if (!split) return NULL;
    PyObject *out = PyUnicode_Join(s_space, split);
    Py_DECREF(split);
    return out;
}

/* ---- the walk ---- */

static int walk(Node *parent, Writer *w, ListStack *stack);

static bool starts_with_ascii(PyObject *text, const char *prefix) {
    Py_ssize_t n = (Py_ssize_t)strlen(prefix);
    if (PyUnicode_GET_LENGTH(text) < n) return false;
    int kind = PyUnicode_KIND(text);
    const void *data = PyUnicode_DATA(text);
    for (Py_ssize_t i = 0; i < n; i++)
        if (PyUnicode_READ(kind, data, i) != (Py_UCS4)(unsigned char)prefix[i]) return false;
    return true;
}

/* The first <img alt> below `node`, in document order (css_first("img[alt]")), or NULL. */
static Node *first_image_with_alt(Node *node) {
    for (Node *child = first_child(node); child; child = next_sibling(child)) {
        if (node_type(child) != ELEMENT) continue;
        size_t len = 0;
        const unsigned char *name = qualified_name(child, &len);
        if (name && name_is(name, len, "img") && has_attribute(child, (const unsigned char *)"alt", 3))
            return child;
        Node *found = first_image_with_alt(child);
        if (found) return found;
    }
    return NULL;
}

static PyObject *link_text(Node *node) {
    PyObject *label = NULL, *href = NULL, *lowered = NULL, *result = NULL;
    Node *child = first_child(node);
    if (child && !next_sibling(child) && node_type(child) == TEXT) {
        PyObject *text = node_text(child);
        if (!text) return NULL;
        label = words(text);
        Py_DECREF(text);
    } else {
        Writer inner;
        if (writer_init(&inner) < 0) return NULL;
        ListStack none = {NULL, 0, 0};
        PyObject *text = NULL;
        if (walk(node, &inner, &none) == 0 && end_plain_block(&inner) == 0) text = joined(inner.paragraphs);
        PyMem_Free(none.levels);
        writer_clear(&inner);
        if (!text) return NULL;
        label = words(text);
        Py_DECREF(text);
    }
    if (!label) return NULL;
    if (PyUnicode_GET_LENGTH(label) == 0) {
        Node *image = first_image_with_alt(node);
        if (image) {
            bool present;
            PyObject *alt = attribute(image, "alt", &present);
            if (!alt) goto done;
            Py_SETREF(label, PyObject_CallMethodNoArgs(alt, s_strip));
            Py_DECREF(alt);
            if (!label) goto done;
        }
    }
    bool present;
    PyObject *raw = attribute(node, "href", &present);
    if (!raw && PyErr_Occurred()) goto done;
    href = raw ? PyObject_CallMethodNoArgs(raw, s_strip) : Py_NewRef(s_empty);
    Py_XDECREF(raw);
    if (!href) goto done;
    lowered = PyObject_CallMethodNoArgs(href, s_lower);
    if (!lowered) goto done;
    if (PyUnicode_GET_LENGTH(href) == 0 || PyUnicode_READ_CHAR(href, 0) == '#' ||
        starts_with_ascii(lowered, "javascript:")) {
        result = Py_NewRef(label);
        goto done;
    }
    PyObject *shown = starts_with_ascii(lowered, "mailto:")
                          ? PyUnicode_Substring(href, 7, PyUnicode_GET_LENGTH(href))
                          : Py_NewRef(href);
    if (!shown) goto done;
    int same = 0;
    if (PyUnicode_GET_LENGTH(label)) {
        PyObject *a = PyObject_CallMethodOneArg(label, s_rstrip, s_slash);
        PyObject *b = a ? PyObject_CallMethodOneArg(shown, s_rstrip, s_slash) : NULL;
        same = b ? PyUnicode_Compare(a, b) == 0 : -1;
        Py_XDECREF(a);
        Py_XDECREF(b);
        if (same < 0 && PyErr_Occurred()) {
            Py_DECREF(shown);
            goto done;
        }
    }
    if (PyUnicode_GET_LENGTH(label) == 0 || same)
        result = Py_NewRef(shown);
    else
        result = PyUnicode_FromFormat("%U (%U)", label, shown);
    Py_DECREF(shown);
done:
    Py_XDECREF(label);
    Py_XDECREF(href);
    Py_XDECREF(lowered);
    return result;
}

/* Whether `text` holds `word` (lower-case ASCII) in any case of its ASCII letters. */
static bool holds_ascii_word(const unsigned char *text, size_t len, const char *word) {
    size_t n = strlen(word);
    for (size_t i = 0; i + n <= len; i++) {
        size_t j = 0;
        while (j < n && (text[i + j] | (text[i + j] >= 'A' && text[i + j] <= 'Z' ? 0x20 : 0)) == (unsigned char)word[j]) j++;
        if (j == n) return true;
    }
    return false;
}

/* White space as the regex's \s sees it in ASCII text (str.isspace()). */
static bool is_ascii_space(unsigned char c) { return c == ' ' || (c >= '\t' && c <= '\r') || (c >= 0x1c && c <= 0x1f); }

/* Whether ASCII text holds `name` \s* ":" \s* `value`, letters in any case (both given in
 * lower case): the hidden-style regex on the lower-cased text, for ASCII text. */
static bool holds_declaration(const unsigned char *text, size_t len, const char *name, const char *value) {
    size_t name_len = strlen(name), value_len = strlen(value);
    for (size_t i = 0; i + name_len <= len; i++) {
        size_t j = 0;
        while (j < name_len && (text[i + j] | (text[i + j] >= 'A' && text[i + j] <= 'Z' ? 0x20 : 0)) == (unsigned char)name[j]) j++;
        if (j < name_len) continue;
        size_t k = i + name_len;
        while (k < len && is_ascii_space(text[k])) k++;
        if (k >= len || text[k] != ':') continue;
        k++;
        while (k < len && is_ascii_space(text[k])) k++;
        if (k + value_len <= len && holds_ascii_word(text + k, value_len, value)) return true;
    }
    return false;
}

/* Whether an element's inline style hides it (Python: the style test in _walk). */
static int hidden_by_style(Node *node) {
    size_t len = 0;
    const unsigned char *raw = get_attribute(node, (const unsigned char *)"style", 5, &len);
    /* Python looks for "none" or "mso-hide" in style.lower() before its regex. No character
     * but the ASCII ones lowers to these letters alone (U+0130 lowers to "i" and a combining
     * dot), so a search of the bytes in ASCII case decides the same, without decoding. */
    if (!raw || (!holds_ascii_word(raw, len, "none") && !holds_ascii_word(raw, len, "mso-hide"))) return 0;
    bool ascii = true;
    for (size_t i = 0; ascii && i < len; i++) ascii = raw[i] < 0x80;
    if (ascii) /* the regex itself, as it reads ASCII text; other text goes to the regex (ſ is s there) */
        return holds_declaration(raw, len, "display", "none") || holds_declaration(raw, len, "mso-hide", "all");
    bool present;
    PyObject *style = attribute(node, "style", &present);
    if (!style) return PyErr_Occurred() ? -1 : 0;
    PyObject *lowered = PyObject_CallMethodNoArgs(style, s_lower);
    Py_DECREF(style);
    if (!lowered) return -1;
    int result = 0;
    int has_none = PyUnicode_Contains(lowered, s_none), has_mso = has_none ? 0 : PyUnicode_Contains(lowered, s_mso_hide);
    if (has_none < 0 || has_mso < 0) {
        result = -1;
    } else if (has_none || has_mso) {
        PyObject *found = PyObject_CallMethodOneArg(hidden_re, s_search, lowered);
        result = found ? found != Py_None : -1;
        Py_XDECREF(found);
    }
    Py_DECREF(lowered);
    return result;
}

static int push_list(ListStack *stack, long counter, long key) {
    if (stack->size == stack->capacity) {
        Py_ssize_t capacity = stack->capacity ? stack->capacity * 2 : 8;
        ListLevel *levels = PyMem_Realloc(stack->levels, (size_t)capacity * sizeof(ListLevel));
        if (!levels) {
            PyErr_NoMemory();
            return -1;
        }
        stack->levels = levels;
        stack->capacity = capacity;
    }
    stack->levels[stack->size++] = (ListLevel){counter, key};
    return 0;
}

static int list_item(Node *node, Writer *w, ListStack *stack) {
    ListLevel lone = {-1, 0};
    ListLevel *counter = stack->size ? &stack->levels[stack->size - 1] : &lone;
    long depth = stack->size > 1 ? (long)stack->size - 1 : 0;
    PyObject *marker;
    if (counter->counter >= 0) {
        counter->counter += 1;
        marker = PyUnicode_FromFormat("%ld. ", counter->counter);
    } else {
        marker = Py_NewRef(s_dash_marker);
    }
    long key = counter->key;
    PyObject *indent = repeat("  ", depth), *pad = marker ? repeat(" ", PyUnicode_GET_LENGTH(marker)) : NULL;
    PyObject *prefix = indent && marker ? PyUnicode_Concat(indent, marker) : NULL;
    PyObject *follow = indent && pad ? PyUnicode_Concat(indent, pad) : NULL;
    int status = -1;
    if (prefix && follow && writer_end_block(w, prefix, follow, key) == 0 && walk(node, w, stack) == 0)
        status = writer_end_block(w, s_empty, s_empty, key);
    Py_XDECREF(marker);
    Py_XDECREF(indent);
    Py_XDECREF(pad);
    Py_XDECREF(prefix);
    Py_XDECREF(follow);
    return status;
}

static int walk(Node *parent, Writer *w, ListStack *stack) {
    for (Node *node = first_child(parent); node; node = next_sibling(node)) {
        int type = node_type(node);
        if (type == TEXT) {
            size_t len = 0;
            unsigned char *data = text_content(node, &len); /* a copy in the document's arena, freed with it */
            if (data && ascii_space(data, len)) { /* most text of a layout: line breaks between tags */
                if (w->block.has_text && PyList_Append(last_line(w), s_space) < 0) return -1;
                continue;
            }
            PyObject *text = data ? PyUnicode_DecodeUTF8((const char *)data, (Py_ssize_t)len, "replace")
                                  : Py_NewRef(s_empty);
            if (!text) return -1;
            int status = writer_text(w, text);
            Py_DECREF(text);
            if (status < 0) return -1;
            continue;
        }
        if (type != ELEMENT) continue; /* comments and the like: no tag, or "-comment" */
        size_t len = 0;
        const unsigned char *name = qualified_name(node, &len);
        if (!name || (len && name[0] == '-') || name_in(name, len, SKIP)) continue;
        int hidden = hidden_by_style(node);
        if (hidden < 0) return -1;
        if (hidden || has_attribute(node, (const unsigned char *)"hidden", 6)) continue;
        int status = 0;
        if (name_is(name, len, "br")) {
            status = writer_line_break(w);
        } else if (name_is(name, len, "a")) {
            PyObject *label = link_text(node);
            status = label ? writer_text(w, label) : -1;
            Py_XDECREF(label);
        } else if (name_is(name, len, "hr")) {
            if (end_plain_block(w) < 0 || writer_text(w, s_rule) < 0) return -1;
            status = end_plain_block(w);
        } else if (name_is(name, len, "ul") || name_is(name, len, "ol")) {
            if (end_plain_block(w) < 0) return -1;
            w->lists += 1;
            if (push_list(stack, name_is(name, len, "ol") ? 0 : -1, w->lists) < 0) return -1;
            if (walk(node, w, stack) < 0) return -1;
            stack->size -= 1;
            status = end_plain_block(w);
        } else if (name_is(name, len, "li")) {
            status = list_item(node, w, stack);
        } else if (name_is(name, len, "blockquote")) {
            if (end_plain_block(w) < 0) return -1;
            w->quote_depth += 1;
            if (walk(node, w, stack) < 0 || end_plain_block(w) < 0) return -1;
            w->quote_depth -= 1;
        } else if (name_is(name, len, "td") || name_is(name, len, "th")) {
            if (writer_text(w, s_space) < 0 || walk(node, w, stack) < 0) return -1;
            status = writer_text(w, s_space);
        } else if (name_in(name, len, BLOCKS)) {
            if (end_plain_block(w) < 0 || walk(node, w, stack) < 0) return -1;
            status = end_plain_block(w);
        } else {
            status = walk(node, w, stack);
        }
        if (status < 0) return -1;
    }
    return 0;
}

/* ---- the module ---- */

static PyObject *paragraphs(PyObject *Py_UNUSED(self), PyObject *args) {
    unsigned long long address;
    int block;
    if (!PyArg_ParseTuple(args, "Kp", &address, &block)) return NULL;
    if (!ready) {
        PyErr_SetString(PyExc_RuntimeError, "_textwalk.init() was not called");
        return NULL;
    }
    if (!address) {
        PyErr_SetString(PyExc_ValueError, "no node");
        return NULL;
    }
    Writer w;
    if (writer_init(&w) < 0) return NULL;
    ListStack stack = {NULL, 0, 0};
    PyObject *result = NULL;
    if (walk((Node *)(uintptr_t)address, &w, &stack) < 0) goto done;
    if (!block || w.block.has_text) {
        if (end_plain_block(&w) < 0) goto done;
    }
    if (block) {
        /* _Writer.pristine(): nothing pending that would change the text written after */
        bool any_line = false;
        for (Py_ssize_t i = 0; i < PyList_GET_SIZE(w.block.lines); i++)
            any_line = any_line || PyList_GET_SIZE(PyList_GET_ITEM(w.block.lines, i)) > 0;
        if (w.block.has_text || PyUnicode_GET_LENGTH(w.block.prefix) || w.block.item || any_line) {
            result = Py_NewRef(Py_None);
            goto done;
        }
    }
    result = Py_NewRef(w.paragraphs);
done:
    PyMem_Free(stack.levels);
    writer_clear(&w);
    return result;
}

/* The style attributes of the elements below `node`, in document order (what
 * css("[style]") finds below it): for the css-support check, which reads every one. */
static int collect_styles(Node *node, PyObject *out) {
    for (Node *child = first_child(node); child; child = next_sibling(child)) {
        if (node_type(child) != ELEMENT) continue;
        bool present;
        PyObject *style = attribute(child, "style", &present);
        if (present) {
            if (!style || PyList_Append(out, style) < 0) {
                Py_XDECREF(style);
                return -1;
            }
            Py_DECREF(style);
        }
        if (collect_styles(child, out) < 0) return -1;
    }
    return 0;
}

static PyObject *styles(PyObject *Py_UNUSED(self), PyObject *args) {
    unsigned long long address;
    if (!PyArg_ParseTuple(args, "K", &address)) return NULL;
    if (!ready || !address) {
        PyErr_SetString(!ready ? PyExc_RuntimeError : PyExc_ValueError, !ready ? "_textwalk.init() was not called" : "no node");
        return NULL;
    }
    PyObject *out = PyList_New(0);
    if (out && collect_styles((Node *)(uintptr_t)address, out) < 0) Py_CLEAR(out);
    return out;
}

static int intern(PyObject **slot, const char *text) {
    *slot = PyUnicode_InternFromString(text);
    return *slot ? 0 : -1;
}

static PyObject *init(PyObject *Py_UNUSED(self), PyObject *args) {
    const char *library;
    PyObject *hidden, *wrap;
    if (!PyArg_ParseTuple(args, "sOO", &library, &hidden, &wrap)) return NULL;
    void *handle = dlopen(library, RTLD_NOW | RTLD_NOLOAD);
    if (!handle) handle = dlopen(library, RTLD_NOW | RTLD_LOCAL);
    if (!handle) {
        PyErr_Format(PyExc_ImportError, "cannot open %s", library);
        return NULL;
    }
    struct {
        void **slot;
        const char *name;
    } wanted[] = {
        {(void **)&first_child, "lxb_dom_node_first_child_noi"},
        {(void **)&next_sibling, "lxb_dom_node_next_noi"},
        {(void **)&node_type, "lxb_dom_node_type_noi"},
        {(void **)&qualified_name, "lxb_dom_element_qualified_name"},
        {(void **)&get_attribute, "lxb_dom_element_get_attribute"},
        {(void **)&has_attribute, "lxb_dom_element_has_attribute"},
        {(void **)&text_content, "lxb_dom_node_text_content"},
    };
    enum { COUNT = sizeof wanted / sizeof wanted[0] };
    void *found[COUNT];
    for (size_t i = 0; i < COUNT; i++) { /* all or none: a failed init leaves a working one as it was */
        found[i] = dlsym(handle, wanted[i].name);
        if (!found[i]) {
            PyErr_Format(PyExc_ImportError, "%s does not export %s", library, wanted[i].name);
            return NULL;
        }
    }
    for (size_t i = 0; i < COUNT; i++) *wanted[i].slot = found[i];
    if (intern(&s_empty, "") || intern(&s_space, " ") || intern(&s_newline, "\n") ||
        intern(&s_paragraph_break, "\n\n") || intern(&s_rule, "--------------------") ||
        intern(&s_search, "search") || intern(&s_strip, "strip") || intern(&s_lower, "lower") ||
        intern(&s_rstrip, "rstrip") || intern(&s_slash, "/") || intern(&s_none, "none") ||
        intern(&s_mso_hide, "mso-hide") || intern(&s_dash_marker, "- "))
        return NULL;
    Py_XSETREF(hidden_re, Py_NewRef(hidden));
    Py_XSETREF(wrap_fn, Py_NewRef(wrap));
    ready = 1;
    Py_RETURN_NONE;
}

static PyMethodDef module_methods[] = {
    {"init", init, METH_VARARGS, "init(selectolax_module_path, hidden_re, wrap)"},
    {"paragraphs", paragraphs, METH_VARARGS, "paragraphs(node_address, block) -> [(text, item)] | None"},
    {"styles", styles, METH_VARARGS, "styles(node_address) -> [style of each element below it]"},
    {NULL, NULL, 0, NULL},
};

static struct PyModuleDef module = {
    PyModuleDef_HEAD_INIT, "_textwalk", "The plain-text walk of plaintext.py in C.", -1, module_methods,
};

PyMODINIT_FUNC PyInit__textwalk(void) {
    PyObject *m = PyModule_Create(&module);
    if (!m) return NULL;
#ifndef SOURCE_SHA256
#define SOURCE_SHA256 ""
#endif
    if (PyModule_AddStringConstant(m, "SOURCE_SHA256", SOURCE_SHA256) < 0) {
        Py_DECREF(m);
        return NULL;
    }
    return m;
}
