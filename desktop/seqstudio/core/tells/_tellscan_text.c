/* One pass over a text: the counts behind sentences.document_measures, and detector.flat_form. */
#include "_tellscan.h"

/* A character's part in the sentence count: 1 a break mark (. ! ? …), 2 a line break, 3 white
 * space as str.split() sees it, 0 anything else. */
static inline int sentence_class(Py_UCS4 c) {
    if (c < 128) return ts_ascii_sentence_class[c];
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
PyObject *ts_document_counts(PyObject *module, PyObject *text) {
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

PyObject *ts_flat_form(PyObject *module, PyObject *args) {
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
