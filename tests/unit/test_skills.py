"""The skills taxonomy: its data file holds, and people find skills in any language."""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any

import pytest
from typer.testing import CliRunner

from admin_cli.main import app
from core.domain.skills import LANGUAGES, TaxonomyError, parse_taxonomy, read_taxonomy
from core.domain.text import fold, match_key
from core.skills import DATA_FILE, Kind, SkillIndex, default_index, search

TIFINAGH = re.compile(r"[\u2D30-\u2D7F]")
ARABIC = re.compile(r"[\u0600-\u06FF]")


def raw_data() -> dict[str, Any]:
    return json.loads(DATA_FILE.read_text(encoding="utf-8"))


def top(text: str, n: int = 1) -> list[str]:
    return [m.skill.code for m in search(text, limit=n)]


# --- the data file -------------------------------------------------------------------------

def test_the_data_file_holds_at_least_150_skills_in_known_categories() -> None:
    taxonomy = read_taxonomy(DATA_FILE)
    assert len(taxonomy.skills) >= 150
    codes = {c.code for c in taxonomy.categories}
    assert {s.category for s in taxonomy.skills} == codes  # no empty category either


def test_skill_and_category_codes_are_unique_and_stable_in_shape() -> None:
    data = raw_data()
    skill_codes = [s["code"] for s in data["skills"]]
    category_codes = [c["code"] for c in data["categories"]]
    assert len(skill_codes) == len(set(skill_codes))
    assert len(category_codes) == len(set(category_codes))
    for skill in data["skills"]:
        assert re.fullmatch(r"[a-z][a-z0-9_]*\.[a-z][a-z0-9_]*", skill["code"])
        assert skill["code"].startswith(skill["category"] + ".")


def test_every_skill_and_category_has_a_label_in_each_of_the_four_languages() -> None:
    taxonomy = read_taxonomy(DATA_FILE)
    for item in (*taxonomy.categories, *taxonomy.skills):
        assert set(item.labels) == set(LANGUAGES), item.code
        assert all(item.labels[lang].strip() for lang in LANGUAGES), item.code
        assert TIFINAGH.search(item.labels["zgh"]), item.code
        assert ARABIC.search(item.labels["ar"]), item.code
        assert not TIFINAGH.search(item.labels["fr"] + item.labels["en"]), item.code


def test_every_skill_has_synonyms_and_they_are_non_empty_strings() -> None:
    for skill in raw_data()["skills"]:
        assert skill["synonyms"], skill["code"]
        assert all(isinstance(s, str) and s.strip() == s and s for s in skill["synonyms"])


def test_the_synonyms_include_darija_in_arabic_script_and_in_arabizi() -> None:
    synonyms = [s for skill in raw_data()["skills"] for s in skill["synonyms"]]
    assert sum(bool(ARABIC.search(s)) for s in synonyms) >= 300
    assert sum(bool(re.search(r"[a-z][379]|[379][a-z]", s)) for s in synonyms) >= 60


def test_a_taxonomy_with_a_duplicate_code_is_refused() -> None:
    data = raw_data()
    data["skills"].append(data["skills"][0])
    with pytest.raises(TaxonomyError, match="duplicate skill code"):
        parse_taxonomy(data)


def test_a_skill_with_a_missing_label_is_refused() -> None:
    data = raw_data()
    del data["skills"][3]["labels"]["zgh"]
    data["skills"][4]["labels"]["fr"] = "  "
    with pytest.raises(TaxonomyError, match="missing zgh label.*missing fr label"):
        parse_taxonomy(data)


def test_a_skill_in_an_unknown_category_is_refused() -> None:
    data = raw_data()
    data["skills"][0]["category"] = "astrology"
    with pytest.raises(TaxonomyError, match="unknown category 'astrology'"):
        parse_taxonomy(data)


def test_empty_synonyms_are_refused() -> None:
    data = raw_data()
    data["skills"][0]["synonyms"].append("")
    with pytest.raises(TaxonomyError, match="synonyms must be a list of non-empty strings"):
        parse_taxonomy(data)


def test_a_file_that_is_not_json_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "skills.json"
    path.write_text("{not json", encoding="utf-8")
    with pytest.raises(TaxonomyError):
        read_taxonomy(path)


# --- folding -------------------------------------------------------------------------------

@pytest.mark.parametrize(("text", "folded"), [
    ("Comptabilité", "comptabilite"),
    ("\u200fIrrigation  goutte-à-goutte!", "irrigation goutte a goutte"),
    ("السَّقْي", "السقي"),
    ("أرگان", "اركان"),
    ("ⵜⴰⵙⵉⴹⵏⵜ", "ⵜⴰⵙⵉⴹⵏⵜ"),
    ("٣ ans", "3 ans"),
    ("😀🙏", ""),
])
def test_fold_removes_what_does_not_tell_names_apart(text: str, folded: str) -> None:
    assert fold(text) == folded


def test_the_arabic_article_is_dropped_from_longer_words_only() -> None:
    assert match_key("السقي بالتنقيط") == "سقي بالتنقيط"
    assert match_key("الري") == "الري"


# --- search --------------------------------------------------------------------------------

@pytest.mark.parametrize(("text", "code"), [
    # French, English, Arabic, with and without accents, with typos
    ("irrigation goutte à goutte", "water.drip_irrigation"),
    ("Irrigation goutte-à-goutte", "water.drip_irrigation"),
    ("goute a goute", "water.drip_irrigation"),
    ("drip irrigation", "water.drip_irrigation"),
    ("الري بالتنقيط", "water.drip_irrigation"),
    ("السقي بالتنقيط", "water.drip_irrigation"),
    ("argan", "local_products.argan_oil"),
    ("أركان", "local_products.argan_oil"),
    ("huile d'argan", "local_products.argan_oil"),
    ("comptabilité", "finance.accounting"),
    ("comptabilite", "finance.accounting"),
    ("COMPTABILITÉ", "finance.accounting"),
    ("comptabilte", "finance.accounting"),
    ("comptablite", "finance.accounting"),
    ("comptab", "finance.accounting"),
    ("accounting", "finance.accounting"),
    ("المحاسبة", "finance.accounting"),
    ("e-commerce", "ecommerce.ecommerce"),
    ("ecommerce", "ecommerce.ecommerce"),
    ("E commerce", "ecommerce.ecommerce"),
    ("vente en ligne", "ecommerce.ecommerce"),
    ("التجارة الإلكترونية", "ecommerce.ecommerce"),
    ("panneaux solaires", "energy.solar_pv"),
    ("panneau solaire", "energy.solar_pv"),
    ("plaques solaires", "energy.solar_pv"),
    ("photovoltaique", "energy.solar_pv"),
    ("safran", "local_products.saffron"),
    ("saffron", "local_products.saffron"),
    ("الزعفران", "local_products.saffron"),
    ("dattes", "local_products.dates_processing"),
    ("palmier dattier", "local_products.date_palm"),
    ("amandier", "local_products.almonds"),
    ("huile d'olive", "local_products.olive_oil"),
    ("apiculture", "livestock.beekeeping"),
    ("beekeeping", "livestock.beekeeping"),
    ("vétérinaire", "livestock.veterinary"),
    ("génie civil", "civil_engineering.civil_engineering"),
    ("architecte", "construction.architecture"),
    ("pisé", "construction.earth_construction"),
    ("sage-femme", "health.maternal_health"),
    ("alphabétisation", "education.literacy"),
    ("formation professionnelle", "education.vocational_training"),
    ("site web", "digital.web_development"),
    ("avocat", "law.legal_advice"),
    ("traduction", "languages.translation"),
    ("translation", "languages.translation"),
    ("gîte", "tourism.guest_houses"),
    ("tapis", "crafts.carpet_weaving"),
    ("déchets", "environment.waste_management"),
    ("recyclage", "environment.recycling"),
    ("autonomisation des femmes", "social.women_empowerment"),
    ("jeunesse", "social.youth_programmes"),
    ("financement participatif", "fundraising.crowdfunding"),
    ("cagnotte", "fundraising.crowdfunding"),
    ("subvention", "fundraising.grant_writing"),
    ("marketing", "marketing.marketing"),
    ("marketting", "marketing.marketing"),
    ("khettara", "water.khettara"),
    # Darija, in Arabic script and in Arabizi
    ("البلاكات ديال الشمس", "energy.solar_pv"),
    ("tba9a chamsiya", "energy.solar_pv"),
    ("l7sabat", "finance.accounting"),
    ("الحسابات", "finance.accounting"),
    ("zit argan", "local_products.argan_oil"),
    ("za3fran", "local_products.saffron"),
    ("n7al", "livestock.beekeeping"),
    ("النحل", "livestock.beekeeping"),
    ("الخطارة", "water.khettara"),
    ("lbi3 online", "ecommerce.ecommerce"),
    ("البيع فالانترنيت", "ecommerce.ecommerce"),
    ("tswi9", "marketing.marketing"),
    ("t3awniya", "cooperative.coop_management"),
    ("jam3iya", "cooperative.association_management"),
    ("trisyan", "energy.electrical_installation"),
    ("plombi", "water.plumbing"),
    ("tbib", "health.general_medicine"),
    ("zerbiya", "crafts.carpet_weaving"),
    ("zbel", "environment.waste_management"),
    ("بغيت واحد المهندس ديال السقي", "water.irrigation_engineering"),
    ("n7tajo plakat dial chems", "energy.solar_pv"),
    # Tamazight labels in Tifinagh
    ("ⵜⴰⵙⵉⴹⵏⵜ", "finance.accounting"),
    ("ⴰⵙⵙⵓ ⵙ ⵜⵉⵇⵇⵉⵜ", "water.drip_irrigation"),
    ("ⵜⴰⵎⵢⴰⵡⴰⵙⵜ", "cooperative.coop_management"),
    ("ⴰⵔⴳⴰⵏ", "local_products.argan_oil"),
    ("ⴰⵙⵓⵖⵍ", "languages.translation"),
    # a sentence around a name
    ("je cherche un ingénieur en irrigation", "water.irrigation_engineering"),
    ("wach kayn chi 7dad f douar", "construction.metalwork_welding"),
    ("kan9leb 3la chi wa7ed f l'comptabilité", "finance.accounting"),
])
def test_search_finds_the_skill_first(text: str, code: str) -> None:
    assert top(text) == [code]


@pytest.mark.parametrize(("text", "code"), [
    ("well drilling", "water.well_drilling"), ("7far lbir", "water.well_drilling"),
    ("البير", "water.well_drilling"), ("pompe solaire", "energy.solar_pumping"),
    ("البومبة", "water.water_pumps"), ("water pumps", "water.water_pumps"),
    ("المطفية", "water.rainwater_harvesting"), ("الساقية", "water.traditional_canals"),
    ("الواد الحار", "water.sanitation"), ("chauffe-eau solaire", "energy.solar_thermal"),
    ("biogaz", "energy.biogas"), ("éolienne", "energy.wind_energy"),
    ("الضو", "energy.electrical_installation"), ("taille des arbres", "agriculture.arboriculture"),
    ("compost", "agriculture.soil_fertility"), ("serres", "agriculture.market_gardening"),
    ("plantes médicinales", "agriculture.aromatic_plants"), ("الهندية", "agriculture.cactus"),
    ("eau de rose", "agriculture.roses"), ("tracteur", "agriculture.farm_machinery"),
    ("ONSSA", "agriculture.food_safety"), ("lfassa", "agriculture.cereals"),
    ("arganier", "local_products.argan_forest"), ("النخل", "local_products.date_palm"),
    ("nkhel", "local_products.date_palm"), ("bayoud", "local_products.bayoud"),
    ("اللوز", "local_products.almonds"), ("louz", "local_products.almonds"),
    ("زيت الزيتون", "local_products.olive_oil"), ("المعصرة", "local_products.olive_oil"),
    ("zitoun", "local_products.olives"), ("IGP", "local_products.labels_certification"),
    ("العسل", "livestock.honey"), ("l3sel", "livestock.honey"),
    ("الغنم", "livestock.sheep_goats"), ("lghnem", "livestock.sheep_goats"),
    ("الكسيبة", "livestock.sheep_goats"), ("begri", "livestock.cattle_dairy"),
    ("الجمل", "livestock.camels"), ("djaj beldi", "livestock.poultry_rabbits"),
    ("dajaj beldi", "livestock.poultry_rabbits"), ("بيطري", "livestock.veterinary"),
    ("créer une coopérative", "cooperative.coop_creation"),
    ("assemblée générale", "cooperative.governance"),
    ("économie sociale et solidaire", "cooperative.social_economy"),
    ("business plan", "cooperative.business_plan"), ("budget", "finance.financial_management"),
    ("impôts", "finance.tax"), ("microcrédit", "finance.microfinance"),
    ("investissement", "finance.investment"), ("MRE", "finance.diaspora_transfers"),
    ("INDH", "fundraising.public_programmes"), ("crowdfunding", "fundraising.crowdfunding"),
    ("grant writing", "fundraising.grant_writing"), ("partenariat", "fundraising.partnerships"),
    ("logo", "marketing.branding_packaging"), ("التصدير", "marketing.export"),
    ("étude de marché", "marketing.market_research"), ("jumia", "ecommerce.online_marketplaces"),
    ("livraison", "ecommerce.online_payment"),
    ("lbi3 f facebook", "ecommerce.social_media_selling"),
    ("pistes rurales", "civil_engineering.rural_roads"), ("القنطرة", "civil_engineering.bridges"),
    ("topographe", "civil_engineering.topography"),
    ("béton armé", "civil_engineering.structural_design"),
    ("appel d'offres", "civil_engineering.public_tenders"), ("maçon", "construction.masonry"),
    ("البناي", "construction.masonry"), ("njar", "construction.carpentry"),
    ("7dad", "construction.metalwork_welding"), ("zellige", "construction.painting_finishing"),
    ("الزلزال", "construction.seismic"), ("kasbah", "construction.kasbah_restoration"),
    ("الفرملي", "health.nursing"), ("القابلة", "health.maternal_health"),
    ("dentiste", "health.dentistry"), ("psychologue", "health.mental_health"),
    ("الصيدلية", "health.pharmacy"), ("soutien scolaire", "education.school_support"),
    ("msid", "education.preschool"), ("الأستاذ", "education.teaching"),
    ("ofppt", "education.vocational_training"), ("تيفيناغ", "education.amazigh_teaching"),
    ("wordpress", "digital.web_development"), ("application mobile", "digital.mobile_apps"),
    ("الانترنيت", "digital.connectivity"), ("cartographie", "digital.data_gis"),
    ("titre foncier", "law.land_tenure"), ("الوراق", "law.administrative_procedures"),
    ("m7ami", "law.legal_advice"), ("interprète", "languages.interpreting"),
    ("anglais", "languages.english_teaching"), ("siya7a", "tourism.rural_tourism"),
    ("dar diafa", "tourism.guest_houses"), ("randonnée", "tourism.mountain_guiding"),
    ("cuisine", "tourism.cooking"), ("الفخار", "crafts.pottery"), ("fekhar", "crafts.pottery"),
    ("bijoux", "crafts.jewellery"), ("الخياطة", "crafts.embroidery_sewing"),
    ("الصابون", "crafts.natural_cosmetics"), ("الزربية", "crafts.carpet_weaving"),
    ("ⵜⴰⵣⵔⴱⵉⵜ", "crafts.carpet_weaving"), ("waste management", "environment.waste_management"),
    ("الزبل", "environment.waste_management"), ("reboisement", "environment.reforestation"),
    ("الجفاف", "environment.climate_adaptation"), ("العيالات", "social.women_empowerment"),
    ("الشباب", "social.youth_programmes"), ("chabab", "social.youth_programmes"),
    ("touiza", "social.community_mobilisation"), ("ⵜⵉⵡⵉⵣⵉ", "social.community_mobilisation"),
    ("gestion de projet", "planning.project_management"),
    ("دراسة الجدوى", "planning.feasibility_study"), ("PCD", "planning.pcd_planning"),
    ("suivi évaluation", "planning.monitoring_evaluation"),
    ("montage vidéo", "media.video_production"), ("video editing", "media.video_production"),
    ("graphiste", "media.graphic_design"), ("radio", "media.journalism"),
    ("festival", "culture.festivals_events"), ("أحواش", "culture.music_arts"),
    ("ⵜⵉⵣⵉⵣⵡⴰ", "livestock.beekeeping"), ("ⵣⵣⵄⴼⵔⴰⵏ", "local_products.saffron"),
    ("ⵜⵉⵢⵉⵏⵉ", "local_products.dates_processing"), ("ⴰⵣⵎⵎⵓⵔ", "local_products.olives"),
])
def test_search_finds_the_skill_in_the_top_three(text: str, code: str) -> None:
    assert code in top(text, 3)


@pytest.mark.parametrize("text", ["santé", "الصحة", "health", "ⵜⴰⴷⵓⵙⵉ"])
def test_a_category_name_offers_the_skills_of_that_category(text: str) -> None:
    matches = search(text, limit=5)
    assert len(matches) == 5
    assert {m.skill.category for m in matches} == {"health"}
    assert {m.kind for m in matches} == {Kind.CATEGORY}


def test_an_exact_match_ranks_before_a_prefix_and_a_prefix_before_a_fuzzy_match() -> None:
    assert search("argan")[0].kind is Kind.EXACT
    assert search("comptab")[0].kind is Kind.PREFIX
    assert search("comptabilitee")[0].kind is Kind.FUZZY
    kinds = [m.kind for m in search("cooperativ", limit=10)]
    assert kinds == sorted(kinds)


@pytest.mark.parametrize("text", [
    "", "   ", "😀", "🙏🏽🙏🏽", "!!!", "???", "...", "ok", "a", "xqzvbnm", "qwertyuiop", "blabla",
    "merci", "bonjour", "hello world", "salam cv", "السلام عليكم", "شكرا", "ⴰⵣⵓⵍ", "1234", "٣٤٥",
    "lorem ipsum dolor sit amet", "well, I do not know", "I need a site", "سير فحالك",
    "je voudrais savoir comment ça marche", "wach kayn chi wa7ed",
    "\u200f\u200e\u2068\u2069", "\x00\x01", "a" * 100_000, "comptabilité " * 10_000,
])
def test_nonsense_empty_emoji_and_huge_text_find_nothing(text: str) -> None:
    assert search(text) == []


def test_the_ranking_is_deterministic() -> None:
    first = [(m.skill.code, m.kind, m.score) for m in search("coop", limit=20)]
    rebuilt = SkillIndex(read_taxonomy(DATA_FILE))
    assert [(m.skill.code, m.kind, m.score) for m in rebuilt.search("coop", limit=20)] == first
    assert [(m.skill.code, m.kind, m.score) for m in search("coop", limit=20)] == first


def test_ties_are_broken_by_code() -> None:
    matches = search("coop", limit=50)
    for a, b in zip(matches, matches[1:], strict=False):
        assert (a.kind, -a.score, a.skill.code) < (b.kind, -b.score, b.skill.code)


def test_the_limit_caps_the_number_of_candidates() -> None:
    assert len(search("coop", limit=2)) == 2
    assert search("coop", limit=0) == []


def test_the_index_is_built_once() -> None:
    assert default_index() is default_index()


# --- the command ---------------------------------------------------------------------------

def test_comdev_skills_search_prints_ranked_codes_with_labels_in_the_chosen_language() -> None:
    result = CliRunner().invoke(app, ["skills", "search", "comptabilte", "--lang", "fr"])
    assert result.exit_code == 0, result.output
    first = result.output.splitlines()[0]
    assert first.startswith("1. finance.accounting")
    assert "Comptabilité et finance" in first and "\tComptabilité\t" in first


def test_comdev_skills_search_honours_the_limit() -> None:
    result = CliRunner().invoke(app, ["skills", "search", "santé", "--limit", "3"])
    assert result.exit_code == 0, result.output
    assert [line.split()[0] for line in result.output.splitlines()] == ["1.", "2.", "3."]


def test_comdev_skills_search_says_when_nothing_fits() -> None:
    result = CliRunner().invoke(app, ["skills", "search", "xqzvbnm"])
    assert result.exit_code == 0
    assert "other: free text" in result.output


def test_comdev_skills_search_refuses_an_unknown_language() -> None:
    result = CliRunner().invoke(app, ["skills", "search", "argan", "--lang", "de"])
    assert result.exit_code == 2


def test_comdev_skills_list_prints_one_category_in_tamazight() -> None:
    result = CliRunner().invoke(app, ["skills", "list", "--category", "water", "--lang", "zgh"])
    assert result.exit_code == 0, result.output
    lines = result.output.splitlines()
    assert lines[0].startswith("water\t") and TIFINAGH.search(lines[0])
    assert "  water.drip_irrigation\tⴰⵙⵙⵓ ⵙ ⵜⵉⵇⵇⵉⵜ" in lines
    assert all(line.startswith("  water.") for line in lines[1:])


def test_comdev_skills_list_prints_every_skill() -> None:
    result = CliRunner().invoke(app, ["skills", "list"])
    assert result.exit_code == 0
    assert sum(line.startswith("  ") for line in result.output.splitlines()) >= 150


def test_comdev_skills_list_refuses_an_unknown_category() -> None:
    result = CliRunner().invoke(app, ["skills", "list", "--category", "astrology"])
    assert result.exit_code == 2
