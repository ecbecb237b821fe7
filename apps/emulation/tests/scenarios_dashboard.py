"""Permission-matrix rows of the year's dashboard (page and API): every reader of the term."""


def matrix_rows(Endpoint, read, managers):  # noqa: N803 - the matrix's own class
    ui = [Endpoint("emulation:term_year", "GET", lambda w: f"/terms/{w.term.pk}/year/", read)]
    api = [Endpoint("term-year-detail", "GET", lambda w: f"/api/term-years/{w.term.pk}/", read)]
    return ui, api
