"""A question about a document that names its outlet reads that outlet's document, even when
retrieval does not bring it back (another script, another language). Real engine, real model,
real Chroma in a temporary directory; the documents are written here."""

from __future__ import annotations

from pathlib import Path

import pytest

from knowledge.engine import Engine
from knowledge.settings import KnowledgeSettings
from knowledge.text import names

WHEAT = """---
title: Зерно уходит на восток
source: Деловой Иртыш
author: Айгерим Нурланова
date: 2024-05-15
lang: ru
---
За восемь месяцев сезона Казахстан отправил в Китай 1,56 млн тонн пшеницы. Доля Китая в экспорте
казахстанского зерна выросла с 9 до 17 процентов. Экспортеры жалуются на нехватку вагонов.
"""

PORT = """---
title: Khorgos dry port handles record container volumes
source: Steppe Wire
author: Dana Kim
date: 2025-03-12
lang: en
---
The Khorgos dry port on the Kazakh border with China handled a record number of containers last year.
Kazakh wheat and barley made up a growing share of the westbound trains, the operator said.
"""

GRAIN = """---
title: Kazakh grain exports to China reach a five-year high
source: Silk Road Freight Review
author: Marat Ospanov
date: 2024-06-02
lang: en
---
Kazakhstan's grain exports to China reached a five-year high this season, led by wheat and barley.
Exporters said rail capacity at the border remained the main constraint on further growth.
"""


def test_names_match_across_scripts_and_in_chinese() -> None:
    assert names("Деловой Иртыш", "who wrote the Delovoy Irtysh piece on wheat?")
    assert names("西陲晨报", "西陲晨报这篇稿子的标题是什么")
    assert not names("Trend", "what is the trending figure?")
    assert not names("", "anything")


@pytest.mark.slow
def test_a_named_outlet_is_the_document_asked_about(tmp_path: Path, kb_embedder: object) -> None:
    docs = tmp_path / "docs"
    docs.mkdir()
    for name, text in (("wheat.md", WHEAT), ("port.md", PORT), ("grain.md", GRAIN)):
        (docs / name).write_text(text, encoding="utf-8")
    # more English pieces on Kazakh wheat than retrieval returns: the Russian one is not among them
    for i, crop in enumerate(["wheat", "barley", "flour", "grain", "wheat", "oats", "wheat", "rapeseed"] * 4):
        (docs / f"extra{i}.md").write_text(
            f"---\ntitle: Kazakh {crop} exports to China, report {i}\nsource: Grain Wire {i}\n"
            f"author: Reporter {i}\ndate: 2024-0{1 + i % 9}-10\nlang: en\n---\n"
            f"Kazakh {crop} exports to China rose again this season, Grain Wire said in report {i}. "
            f"Traders expect more {crop} to move by rail through the border crossings next year.\n",
            encoding="utf-8")
    settings = KnowledgeSettings(_env_file=None, data_dir=tmp_path / "kb")  # type: ignore[call-arg]
    engine = Engine(settings, embedder=kb_embedder)  # type: ignore[arg-type]
    assert engine.ingest([docs]).ok
    answer = engine.ask("Who is the author of the Delovoy Irtysh piece on Kazakh wheat exports?")
    assert not answer.abstained
    assert "Айгерим Нурланова" in answer.text
    assert answer.citations and answer.citations[0].source == "Деловой Иртыш"
