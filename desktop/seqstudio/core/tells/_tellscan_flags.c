/* Flags from hits: Detector._flags_from and _without_nested in one pass over C arrays. */
#include "_tellscan.h"

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
PyObject *ts_flags_from(PyObject *module, PyObject *args) {
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
