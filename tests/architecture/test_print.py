"""The printed (PDF) description of a large graph keeps every diagram and every appendix table."""

import io

import pypdf
from django.utils import translation
from PIL import Image

from irtis.architecture import diagram, graphs, publish
from irtis.architecture.document import Document

from .test_diagrams import graph


def test_the_pdf_holds_every_diagram_at_its_readable_size_and_every_edge_table(db) -> None:
    big = graph(40)
    with translation.override("en"):
        doc = Document(kind="system", code="BIG", title="Architecture description of BIG")
        graphs.add_diagram(doc, big, "s", frozenset())
        publish.stamp(doc)
        drawn_steps = []
        body = publish.render(doc, "pdf", drawn=lambda: drawn_steps.append(True))
    assert len(doc.diagrams) > 4 and drawn_steps == [True]
    reader = pypdf.PdfReader(io.BytesIO(body))
    # one picture per diagram, each the PNG `dot` drew for it (its labels print at 7 pt or more);
    # WeasyPrint lists every image in each page's resources
    images = {image.name: image for page in reader.pages for image in page.images}.values()
    assert len(images) == len(doc.diagrams)
    assert sorted(image.image.size for image in images) == sorted(
        Image.open(io.BytesIO(diagram.render(d.dot, "png"))).size for d in doc.diagrams)
    assert all(diagram.FONT_PT * diagram.text_scale(d.dot) >= diagram.MIN_TEXT_PT for d in doc.diagrams)
    text = "\n".join(page.extract_text() for page in reader.pages)
    assert "Appendix. Edges of the dependency diagrams" in text
    for drawing in doc.diagrams:
        assert text.count(drawing.title) >= 2, drawing.title  # above its picture and its appendix table
    # every edge is a row of the appendix: each object that depends on another is named there
    assert all(f"vm-taikomoji-{n:03d}" in text for n in range(40))
    assert sum(len(d.edges.rows) for d in doc.diagrams) == len(big["edges"])
