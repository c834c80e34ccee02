"""Titles, agency, year and publication dates."""

from __future__ import annotations

from datetime import date

import pytest

from parsers import classify_title, parse_document
from parsers.folding import printed_form
from parsers.metadata import body_agency, published_date, year_of


@pytest.mark.parametrize(
    ("title", "year", "agency"),
    [
        ("某某县教育局2023年度政府信息公开工作年度报告", 2023, "某某县教育局"),
        ("2023年城关镇政府信息公开年报", 2023, "城关镇"),
        ("城关镇人民政府关于2023年政府信息公开工作的年度报告", 2023, "城关镇人民政府"),
        ("2023年度政务公开工作年度报告", 2023, None),
        ("招远市金岭镇人民政府 2022年度政府信息公开工作年度报告", 2022, "招远市金岭镇人民政府"),
        ("某某市人民政府办公室政府信息公开工作2021年度报告", 2021, "某某市人民政府办公室"),
        ("政府信息公开工作年度报告", None, None),
        ("某某县民政局2023年政府信息公开工作年度报告（更正）", 2023, "某某县民政局"),
        ("某某县民政局2023年政府信息公开工作年度报告(修订版)", 2023, "某某县民政局"),
        ("某某县卫生和计划生育委员会2019年政府信息公开工作年度报告", 2019, "某某县卫生和计划生育委员会"),
        # A flip-book page's marker or a mirror site's domain before the name is not part of it.
        ("Page 8 - 某市某区信访局2022年政府信息公开工作年度报告", 2022, "某市某区信访局"),
        ("mirror.example.com东城街道2019年政府信息公开工作年度报告", 2019, "东城街道"),
        ("某县CBD管委会2022年政府信息公开工作年度报告", 2022, "某县CBD管委会"),
    ],
)
def test_real_title_forms_are_annual_reports(title: str, year: int | None, agency: str | None) -> None:
    info = classify_title(title)
    assert info.is_annual_report
    assert (info.year, info.agency) == (year, agency)


@pytest.mark.parametrize(
    "title",
    [
        "某某县人民政府政府信息公开指南",
        "2023年政务公开工作要点",
        "关于报送2023年度政府信息公开工作年度报告的通知",
        "某某县政府网站工作年度报表（2023年度）",
        "某某局政府信息公开制度",
        "某某县2023年国民经济和社会发展统计公报",
        "2023年度法治政府建设年度报告",
        "一图读懂某某县2023年政府信息公开工作年度报告",
        "关于某某县2023年政府信息公开工作年度报告的更正说明",
        "某某县2023年政府信息公开工作年度报告视频解读",
        "",
    ],
)
def test_lookalike_titles_are_rejected(title: str) -> None:
    assert not classify_title(title).is_annual_report


def test_agency_from_the_body_skips_self_references() -> None:
    assert body_agency("2023年，我镇坚持……2023年召都巴镇政府信息公开工作取得了明显成效") == "召都巴镇"
    assert body_agency("2024 年，全市共受理申请。2024 年，市政府严格落实") is None


def test_year_sources_in_order_and_disagreement_warns() -> None:
    assert year_of(None, "报告所列数据的统计期限自2024年1月1日起至2024年12月31日止。", None) == (2024, [])
    year, warnings = year_of("某镇2023年政府信息公开工作年度报告", "统计期限自2022年1月1日起至2022年12月31日止", None)
    assert year == 2023 and "2022" in warnings[0]
    year, warnings = year_of(None, "没有年份的正文", date(2024, 1, 20))
    assert year == 2023 and warnings == ["report year taken from the publication date"]


def test_published_date_sources() -> None:
    assert published_date({"PubDate": "2024-01-25 10:00"}, "", None) == date(2024, 1, 25)
    assert published_date({"firstpublishedtime": "2024-03-02-10:11:12"}, "", None) == date(2024, 3, 2)
    assert published_date({}, "发布日期：2024年1月9日", None) == date(2024, 1, 9)
    assert published_date({}, "", "http://127.0.0.1/a/t20240131_99.htm") == date(2024, 1, 31)
    assert published_date({"PubDate": "not a date"}, "", "http://127.0.0.1/x/2024-13-45/") is None
    # A bare 时间： labels the article's date; 统计时间 and 截止时间 label the statistics period.
    assert published_date({}, "来源：某县人民政府 时间：2018-01-23 08:51 打印", None) == date(2018, 1, 23)
    assert published_date({}, "统计时间：2023年1月1日至2023年12月31日", None) is None
    assert published_date({}, "截止时间：2023-12-31", None) is None


def test_title_token_of_a_page_saved_as_one_line() -> None:
    line = (
        "当前位置： 首页政务公开政府信息公开年报 某县统计局2017年度政府信息公开工作年度报告 来源：某县统计局 "
        "时间：2018-01-20 本报告由概述、主动公开政府信息情况等部分组成。" * 2
    )
    out = parse_document(line.encode()).to_dict()
    assert (out["title"], out["agency"], out["year"]) == ("某县统计局2017年度政府信息公开工作年度报告", "某县统计局", 2017)
    # The breadcrumbs name the reports' column (…年报) with no year: never the title, 首页 no body.
    out = parse_document("当前位置： 首页政务公开政府信息公开年报 关于某事的通知 正文……".encode()).to_dict()
    assert (out["title"], out["agency"]) == (None, None)
    out = parse_document("当前位置：首页 > 年报 > 某县统计局2023年政府信息公开工作年度报告\n正文".encode()).to_dict()
    assert (out["title"], out["agency"]) == ("某县统计局2023年政府信息公开工作年度报告", "某县统计局")
    # 您当前所在位置 breadcrumbs naming the column above the title line: the title line wins.
    text = "您当前所在位置: 首页 > 乡镇信息公开 > 石桥乡 > 年报\n\n石桥乡2021年政府信息公开工作年度报告\n\n正文"
    out = parse_document(text.encode()).to_dict()
    assert (out["agency"], out["year"]) == ("石桥乡", 2021)


def test_title_on_two_lines_and_agency_from_it() -> None:
    text = "淮安市人民政府\n2024 年政府信息公开工作年度报告\n一、总体情况\n……".encode()
    out = parse_document(text).to_dict()
    assert out["title"] == "淮安市人民政府 2024 年政府信息公开工作年度报告"
    assert (out["agency"], out["year"]) == ("淮安市人民政府", 2024)


def test_meta_author_completes_the_title_body_only_with_its_kind() -> None:
    from parsers.metadata import agency_of

    title = "某某综合实验区2019年度政府信息公开工作年度报告"
    assert agency_of(title, "", {"Author": "某某综合实验区管委会"}) == "某某综合实验区管委会"
    assert agency_of("某县2023年政府信息公开工作年度报告", "", {"ContentSource": "某县人民政府"}) == "某县人民政府"
    # An office, an editor, another body: the title's name stands.
    assert agency_of("某县2023年政府信息公开工作年度报告", "", {"Author": "某县人民政府办公室"}) == "某县"
    assert agency_of("某县教育局2023年政府信息公开工作年度报告", "", {"Author": "张三"}) == "某县教育局"
    assert agency_of("城关镇2023年政府信息公开年报", "", {"Author": "某县人民政府"}) == "城关镇"


def test_prose_after_a_year_is_never_the_agency() -> None:
    # A clause after the year (通过…网站, 三公经费…和政府工作报告) holds a suffix but names no body.
    assert body_agency("2022年，通过县政府门户网站公开信息9条。") is None
    assert body_agency("2023年,通过政府门户网站,主动公开政府信息12条。") is None
    assert body_agency("2021年，我乡公开了2021年三公经费预算情况和政府工作报告等事项。") is None
    # A name stated as a sentence's subject elsewhere is the body.
    text = "2023年,在县委的领导下,青石街道办事处认真落实《条例》。2023年,通过政府门户网站公开信息。"
    assert body_agency(text) == "青石街道办事处"


def test_agency_stated_in_the_report_sentences() -> None:
    text = "按照某县人民政府办公室《关于做好2021年度年报工作的通知》要求，现将白沙塘镇2021年度政府信息公开工作报告如下：\n一、总体情况\n"
    out = parse_document(text.encode()).to_dict()
    assert out["agency"] == "白沙塘镇"
    assert body_agency("一、总体情况\n白沙塘镇人民政府严格按照《条例》开展工作。") == "白沙塘镇人民政府"
    # The office that compiles the report belongs to the body: the body is named, not its office.
    assert body_agency("本报告由柳河镇人民政府党政办公室编制。") == "柳河镇人民政府"
    assert body_agency("本报告由某省地震局办公室编制并依法公开。") == "某省地震局"
    assert body_agency("本报告由某县卫生健康委员会办公室编制。") == "某县卫生健康委员会"
    # Traditional script: 現將 opens the sentence as well.
    assert body_agency("現將柳河鎮2022年政府信息公開工作年度報告進行公開。") == "柳河镇"


def test_breadcrumb_after_accessibility_links_and_name_line_above_title() -> None:
    text = "关怀版 无障碍\n\n无障碍您当前所在位置: 首页 > 乡镇 > 石桥乡 > 年报\n\n石桥乡2021年政府信息公开工作年度报告\n\n正文"
    out = parse_document(text.encode()).to_dict()
    assert out["agency"] == "石桥乡"
    text = "關懷版 無障礙無障礙您當前所在位置: 首頁 > 鄉鎮 > 石門鄉 > 年報\n石門鄉2021年政府信息公開工作年度報告\n正文"
    out = parse_document(text.encode()).to_dict()
    assert out["agency"] == "石門鄉"  # as printed: the name is the document's, not the folding's
    # A traditional-script title set on two lines, the body's name alone above it.
    text = "瀏覽次數:次\n某市水區機關後勤服務中心\n政府信息公開工作2021年度報告\n一、總體情況\n2021年,區機關後勤服務中心深入落實。"
    out = parse_document(text.encode()).to_dict()
    assert out["agency"] == "某市水區機關後勤服務中心"


def test_a_traditional_script_name_is_given_as_printed_never_half_converted() -> None:
    # Folding turns only the statutory words' characters: 閻 stays, 區 and 機關 fold. The name the
    # body reading finds is written back in the document's own characters.
    text = "瀏覽次數:次\n某市閻良區機關事務服務中心\n政府信息公開工作2022年度報告\n一、總體情況\n2022年，本中心認真落實。"
    assert parse_document(text.encode()).to_dict()["agency"] == "某市閻良區機關事務服務中心"
    assert printed_form("北坡镇", None, "遂溪縣北坡\n鎮人民政府") == "北坡鎮"
    assert printed_form("北坡镇", "北坡镇人民政府", "北坡鎮") == "北坡镇"  # the first source holding it
    assert printed_form("某县", "别处") == "某县"
    assert printed_form("新榮区交通運輸局", "新榮區(qū)交通運(yùn)輸局") == "新榮區交通運輸局"  # pinyin between


def test_a_scrambled_title_line_still_names_its_body() -> None:
    # The title's words ran out of order (a template's layout), but the line opens with the body.
    text = "某县人民政府\n\n政府信息公开\n\n某县七家子镇2023年政府信息公开 工作告年度报\n\n来源:某县人民政府办公室\n一、总体情况\n2023年,我镇认真贯彻落实《条例》。"
    assert parse_document(text.encode()).to_dict()["agency"] == "某县七家子镇"
    assert body_agency("关于2023年政府信息公开工作的通知\n本镇2023年政府信息公开工作") is None


def test_traditional_name_the_label_folding_cannot_simplify_is_given_as_written() -> None:
    # 撫, 遠 and 陽 are outside the label characters folding knows: the name must not come out half
    # simplified (東陽市撫遠镇人民政府), but as the document writes it, from the title or the body.
    title = "東陽市撫遠鎮人民政府2022年政府信息公開工作年度報告\n一、總體情況\n本年度公開信息25條。"
    assert parse_document(title.encode()).to_dict()["agency"] == "東陽市撫遠鎮人民政府"
    body = "一、總體情況\n2022年,東陽市撫遠鎮人民政府不斷強化信息報送工作。"
    assert parse_document(body.encode()).to_dict()["agency"] == "東陽市撫遠鎮人民政府"
    # A name folding could simplify entirely is given as written too.
    assert parse_document("石門鄉2021年政府信息公開工作年度報告\n正文".encode()).to_dict()["agency"] == "石門鄉"


def test_agency_named_with_the_report_it_publishes_or_compiles() -> None:
    # 现公布/编制/发布 + the body + the year of the report: the body's name, however short.
    assert body_agency("根据《条例》规定,现公布区档案局2023年政府信息公开工作年度报告。\n一、总体情况") == "区档案局"
    assert body_agency("根据有关规定,编制某市青松乡2024年政府信息公开工作年度报告,所列数据统计期限为2024年。") == "某市青松乡"
    assert body_agency("现发布《某县林草局2023年政府信息公开工作年度报告》。") == "某县林草局"
    # Fuller than the subject of a later sentence.
    text = "现公开某区东湖街道2019年度政府信息公开工作报告。\n2019年,东湖街道主动公开政府信息49条。"
    assert body_agency(text) == "某区东湖街道"


def test_agency_ends_before_the_verb_of_its_sentence() -> None:
    # 2025年某街道积极推动街道…: the name is not run on to the second 街道.
    assert body_agency("一、总体情况\n2025年青松街道积极推动街道政府信息公开工作。") == "青松街道"
    assert body_agency("2024年,白云乡持续加强乡政府信息公开。") == "白云乡"


def test_agency_from_the_contact_sentence_when_nothing_else_names_the_body() -> None:
    contact = "如对本报告有任何疑问,请与某市某区青松镇政府综合督考办公室联系(电话:0570-1234567)。\n一、总体情况\n"
    assert body_agency(contact + "2021年,我镇深入贯彻《条例》。") == "某市某区青松镇政府"
    assert body_agency("请与某县白云乡人民政府办公室联系。") == "某县白云乡人民政府"
    # An office of no named body, or a self-reference, names nobody.
    assert body_agency("如有疑问,请与本单位政府信息公开受理机构联系。") is None
    assert body_agency("如有疑问,请与我局办公室联系。") is None
    # Any sentence that names the body outranks the office answering for the report.
    assert body_agency(contact + "2021年,青松镇人民政府严格按照《条例》开展工作。") == "青松镇人民政府"


def test_a_spaced_or_tabled_title_label_is_not_part_of_the_title() -> None:
    # A portal's information block sets 标题 spaced to its other labels' width, or as a first cell.
    text = "标      题 某自治区审计厅2025年政务信息公开工作年度报告\n索引号 000/2026-00021\n一、总体情况\n正文"
    out = parse_document(text.encode()).to_dict()
    assert (out["title"], out["agency"]) == ("某自治区审计厅2025年政务信息公开工作年度报告", "某自治区审计厅")
    text = "| 标 题 | 某县民政局2023年政府信息公开工作年度报告 | ||\n| 索引号 | 000 | 文 号 | |\n一、总体情况\n正文"
    out = parse_document(text.encode()).to_dict()
    assert (out["title"], out["agency"]) == ("某县民政局2023年政府信息公开工作年度报告", "某县民政局")
    # The same block with the label's colon in its own cell: the title is the next cell.
    text = "某县人民政府\n| 标题: | 某县行政审批服务局2025年政府信息公开工作年度报告 | ||\n| 索引号: | 000 |\n一、总体情况\n正文"
    out = parse_document(text.encode()).to_dict()
    assert (out["title"], out["agency"]) == ("某县行政审批服务局2025年政府信息公开工作年度报告", "某县行政审批服务局")


def test_a_title_with_a_mirrors_pinyin_is_readable() -> None:
    # Toned pinyin (區(qū)) is Latin beyond ASCII, as in a wrongly decoded title, yet this one reads.
    text = "某自治區(qū)民委2023年政府信息公開工作年度報告\n一、總體情況\n2023年,自治區(qū)民委認真落實。"
    out = parse_document(text.encode()).to_dict()
    assert out["title"] == "某自治區(qū)民委2023年政府信息公開工作年度報告"
    assert out["agency"] in ("某自治區民委", "某自治区民委")


def test_a_place_name_opening_like_a_self_reference_is_a_name() -> None:
    # 上饶市 opens with 上 as 上级 does, 本溪市 with 本 as 本局 does: place names, not self-references.
    assert body_agency("本报告由上饶市青松镇人民政府编制，全文包括六个部分。") == "上饶市青松镇人民政府"
    assert body_agency("本报告由本溪市白云街道办事处编制。") == "本溪市白云街道办事处"
    assert body_agency("本报告由上级主管部门编制。") is None
    assert body_agency("2023年,全县认真落实《条例》。") is None


def test_the_compiling_body_with_what_it_compiled_from_before_the_verb() -> None:
    # 由X结合…编制 · 由X根据…要求编制而成: the words between the body and 编制 are not its name.
    assert body_agency("本报告由青松镇人民政府结合全年工作台账编制。") == "青松镇人民政府"
    text = "本年度報告由某某機(jī)關(guān)事務(wù)管理局根據(jù)《條例》要求編制而成。"
    assert body_agency(text) == "某某机关事务管理局"
    # The verb must close the same sentence.
    assert body_agency("本报告由青松镇人民政府结合实际。另行编制附表。") is None


def test_the_report_compiled_with_a_completion_word_names_its_body() -> None:
    text = "根据上级文件要求，编制完成《青松县林业局2023年政府信息公开工作年度报告》。"
    assert body_agency(text) == "青松县林业局"
    assert body_agency("现已发布了某县统计局2022年政府信息公开工作年度报告。") == "某县统计局"


def test_a_title_year_written_without_nian_is_not_part_of_the_body() -> None:
    assert classify_title("某省青松林业厅2023政府信息公开工作年度报告").agency == "某省青松林业厅"
    text = "某省青松林业厅\n\n2023政府信息公开工作年度报告\n\n一、总体情况\n我厅做好公开工作。"
    assert parse_document(text.encode()).to_dict()["agency"] == "某省青松林业厅"


def test_a_current_page_breadcrumb_is_not_the_title() -> None:
    # 当前页面: 首页 > … > 某镇 > 信息公开年度报告 names the column, not the report under it.
    text = "当前页面: 首页  > 政府信息公开 > 青松镇 > 信息公开年度报告\n\n青松镇2019年政府信息公开年度报告\n\n正文"
    out = parse_document(text.encode()).to_dict()
    assert (out["title"], out["agency"]) == ("青松镇2019年政府信息公开年度报告", "青松镇")
    text = "當前頁面: 首頁 > 青松鎮 > 信息公開年度報告\n青松鎮2019年政府信息公開年度報告\n正文"
    assert parse_document(text.encode()).to_dict()["agency"] == "青松鎮"


def test_a_district_portals_relative_name_is_completed_by_the_text() -> None:
    from parsers.metadata import agency_of

    title = "区青松片区建设事务中心2024年政府信息公开工作年度报告"
    text = "现公开某某区青松片区建设事务中心2024年政府信息公开工作年度报告。"
    assert agency_of(title, text) == "某某区青松片区建设事务中心"
    # The text naming it the same way, or a body that is not the title's, changes nothing.
    assert agency_of(title, "本报告由区青松片区建设事务中心编制。") == "区青松片区建设事务中心"
    assert agency_of(title, "本报告由某某区教育局编制。") == "区青松片区建设事务中心"


def test_a_reading_button_is_not_the_title() -> None:
    # 点击收听年报语音朗读 holds 年报, but it is the page's listen button.
    text = "点击收听年报语音朗读\n本报告由青松镇人民政府按照《条例》要求编制。\n一、总体情况\n青松镇做好公开工作。"
    out = parse_document(text.encode()).to_dict()
    assert (out["title"], out["agency"]) == (None, "青松镇人民政府")
    text = "语音播报 青松镇2024年政府信息公开工作年度报告\n一、总体情况\n正文"
    assert parse_document(text.encode()).to_dict()["title"] == "青松镇2024年政府信息公开工作年度报告"


def test_a_title_head_of_government_alone_names_no_body() -> None:
    # 政府政务公开年报: 政府 (or 人民政府) alone before the subject is no body's name.
    assert classify_title("政府政务公开年报").agency is None
    assert classify_title("人民政府2023年政府信息公开工作年度报告").agency is None
    text = "政府政务公开年报\n一、总体情况\n2019年，我镇做好政府信息公开工作。"
    assert parse_document(text.encode()).to_dict()["agency"] is None


def test_a_date_or_a_closing_bar_after_the_title_is_not_part_of_it() -> None:
    for line in (
        "青松街道2024年政府信息公开工作年度报告 2025-01-22",
        "青松街道2024年政府信息公开工作年度报告 |",
    ):
        out = parse_document(f"{line}\n一、总体情况\n街道做好公开工作。".encode()).to_dict()
        assert out["title"] == "青松街道2024年政府信息公开工作年度报告"
    # A date the title itself ends with stays (none is set off by a space).
    text = "青松街道政府信息公开工作年度报告(2024年)\n一、总体情况\n正文"
    assert parse_document(text.encode()).to_dict()["title"] == "青松街道政府信息公开工作年度报告(2024年)"


def test_the_subject_of_the_sentence_compiling_the_report_is_the_body() -> None:
    text = "根据《条例》要求，某市青松区人民政府根据全区2022年度工作开展情况，编制本报告。\n2022年，全区做好公开工作。"
    assert body_agency(text) == "某市青松区人民政府"
    # The verb must close the same sentence, and a self-reference stays none.
    assert body_agency("我局根据《条例》要求,编制本年度报告。") is None
    assert body_agency("某市青松区人民政府根据要求开展工作。另编制本报告。") is None


@pytest.mark.parametrize(
    ("title", "agency"),
    [
        ("本溪市人民政府2023年政府信息公开工作年度报告", "本溪市人民政府"),
        ("全州县人民政府2022年政府信息公开工作年度报告", "全州县人民政府"),
        ("全椒县教育局2021年政府信息公开工作年度报告", "全椒县教育局"),
        ("本局2023年政府信息公开工作年度报告", None),
        ("全县2023年政府信息公开工作年度报告", None),
        ("上级机关2023年政府信息公开工作年度报告", None),
    ],
)
def test_a_title_opening_with_a_place_named_like_a_self_reference_keeps_its_body(title: str, agency: str | None) -> None:
    assert classify_title(title).agency == agency
