/* The tell detector's hot loops in C: where rule anchors start in a block and what their
 * targets match there (Anchors.span_hits), the flags made of those hits (flags_from), and the
 * counts behind the document measures and the flat form (document_counts, flat_form).
 *
 * Why C: benchmarks/tells_speed.py. In Python these loops cost about 60% of a 300-word email's
 * analysis; issue 5 asks for 100x proselint, which the Python path reaches about half of.
 * Every function returns exactly what its Python twin in detector.py or sentences.py returns;
 * tests/core/tells/test_native.py compares them on thousands of texts, and the Python twins run
 * wherever this is not built (seqstudio.core.tells.native). hatch_build.py builds it from this
 * file (the module) and the three beside it: _tellscan_anchors.c (Anchors.span_hits),
 * _tellscan_text.c (document_counts, flat_form) and _tellscan_flags.c (flags_from). */
#include "_tellscan.h"

unsigned char ts_ascii_alnum[128];
unsigned char ts_ascii_sentence_class[128];

/* A character's part in the sentence count (see _tellscan_text.c): 1 a break mark (. ! ? …),
 * 2 a line break, 3 white space as str.split() sees it, 0 anything else. */
void ts_init_tables(void) {
    for (Py_UCS4 c = 0; c < 128; c++) {
        ts_ascii_alnum[c] = (unsigned char)(Py_UNICODE_ISALNUM(c) != 0);
        ts_ascii_sentence_class[c] = (c == '.' || c == '!' || c == '?') ? 1 : c == '\n' ? 2
                                     : Py_UNICODE_ISSPACE(c) ? 3 : 0;
    }
}

static PyMethodDef module_methods[] = {
    {"flat_form", ts_flat_form, METH_VARARGS, "flat_form(text, lowered) -> str"},
    {"document_counts", ts_document_counts, METH_O, "document_counts(text) -> (lengths, emoji, dashes, em dashes)"},
    {"flags_from", ts_flags_from, METH_VARARGS, "flags_from(text, hits, parts, skipped, allows_text, start_back, flag_type)"},
    {NULL, NULL, 0, NULL},
};

static struct PyModuleDef module = {
    PyModuleDef_HEAD_INIT, "_tellscan", "Hot loops of the tell detector.", -1, module_methods,
};

PyMODINIT_FUNC PyInit__tellscan(void) {
    ts_init_tables();
    if (PyType_Ready(&TsAnchorsType) < 0) return NULL;
    PyObject *m = PyModule_Create(&module);
    if (!m) return NULL;
    Py_INCREF(&TsAnchorsType);
    if (PyModule_AddObject(m, "Anchors", (PyObject *)&TsAnchorsType) < 0) {
        Py_DECREF(&TsAnchorsType);
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
