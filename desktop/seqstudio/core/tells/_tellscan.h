/* Shared by the tell detector's C kernels (see _tellscan.c). */
#ifndef SEQSTUDIO_TELLSCAN_H
#define SEQSTUDIO_TELLSCAN_H

#define PY_SSIZE_T_CLEAN
#include <Python.h>

/* str.isalnum() and the sentence-scan class of each ASCII character, filled by ts_init_tables. */
extern unsigned char ts_ascii_alnum[128];
extern unsigned char ts_ascii_sentence_class[128];
void ts_init_tables(void);

static inline int is_alnum(Py_UCS4 ch) {
    return ch < 128 ? ts_ascii_alnum[ch] : Py_UNICODE_ISALNUM(ch);
}

extern PyTypeObject TsAnchorsType; /* _tellscan_anchors.c */
PyObject *ts_document_counts(PyObject *module, PyObject *text); /* _tellscan_text.c */
PyObject *ts_flat_form(PyObject *module, PyObject *args);       /* _tellscan_text.c */
PyObject *ts_flags_from(PyObject *module, PyObject *args);      /* _tellscan_flags.c */

#endif
