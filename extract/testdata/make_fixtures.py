#!/usr/bin/python3
"""Regenerates the committed test files in files/ from the texts in src/.

The texts in src/ are Wikipedia articles as published in two public
reading-comprehension data sets (DRCD, CC BY-SA 3.0, Traditional script;
CMRC 2018, CC BY-SA 4.0, Simplified script), some converted to Simplified
with OpenCC (t2s). Each file in files/ is written by the real tool that
users' files come from:

  report-zh-hant.pdf   LibreOffice Writer, from a Flat ODT with a running
                       header, page-number footer and a footnote (恆星)
  report-zh-hans.pdf   the same, Simplified (长城)
  web-print.pdf        Chromium's "print to PDF" of an HTML page (上海站)
  notice-cid.pdf       ReportLab with UnicodeCIDFont('STSong-Light'): the CJK
                       font is not embedded, text is on the UniGB-UCS2-H CMap
                       (千年女王)
  scanned.pdf          a page rendered to a grey image by pdftoppm and
                       wrapped by img2pdf: no text layer
  encrypted.pdf        notice-cid.pdf encrypted by qpdf (AES-256, user
                       password "wenda"): cannot be opened without it
  galileo.docx         LibreOffice Writer, Word 2007 XML, with Title and
                       Heading 1 styles and a footnote (伽利略)
  talks-lists.docx     python-docx (Debian's python3-docx 0.8.11): two
                       lists Word numbers itself, one in the List Number
                       style (1. 2.), one numbered 一、二、 by a definition
                       added to numbering.xml; their text is wenda's own
                       articles' (madrid-talks-interview, g2-busan-summit),
                       the interview's points shortened to list items
  pearl-harbor.pptx    LibreOffice Impress, PowerPoint 2007 XML, from a Flat
                       ODP with slide titles and outlines (珍珠港事件)
  qing-provinces.xlsx  LibreOffice Calc, Excel 2007 XML, two sheets with a
                       header row (清朝行政区划)
  news.html            a news article page laid out the way Chinese portals
                       lay them out: navigation, breadcrumbs, ads, scripts,
                       a share bar, a trending-headlines block (越南亡国史)
  conciergerie-gbk.txt iconv -t GBK (巴黎古监狱)
  rwanda-big5.txt      iconv -t BIG5 (盧安達)
  blue-horde-utf16.txt iconv -t UTF-16 (with its byte order mark) (蓝帐汗国)
  dirac-bom.md         Markdown, UTF-8 with a byte order mark (保罗·狄拉克)
  photo.png, bundle.zip  files of unsupported types, made by ImageMagick
                       and zip

and, for the benchmarks only (their text repeats the files above, so they
are kept apart from them):

  bench/long-report.pdf  LibreOffice Writer, 46 pages: the 恆星 text twelve
                       times over, one chapter heading each
  bench/long-report.docx the same document as Word 2007 XML
  bench/long-deck.pptx   LibreOffice Impress, the 珍珠港事件 slides eight
                       times over (56 slides)
  bench/long-table.xlsx  LibreOffice Calc, 2,000 rows of the 清朝 sheet's
                       columns, numbered
  bench/long-page.html   the news page with its article twelve times over

Needs: libreoffice-writer, libreoffice-calc, libreoffice-impress, chromium,
python3-reportlab, python3-docx, poppler-utils, img2pdf, qpdf, imagemagick, zip,
fonts-noto-cjk.
Run from this folder: ./make_fixtures.py
"""

import csv
import html
import os
import re
import shutil
import subprocess
import tempfile

HERE = os.path.dirname(os.path.abspath(__file__))
SRC = os.path.join(HERE, "src")
OUT = os.path.join(HERE, "files")
# Fixed dates make the files reproducible in what matters to the tests.
os.environ["SOURCE_DATE_EPOCH"] = "1700000000"


def article(name):
    """Returns the title and paragraphs of a source text."""
    with open(os.path.join(SRC, name), encoding="utf-8") as f:
        blocks = [b.strip() for b in f.read().split("\n\n") if b.strip()]
    return blocks[0], blocks[1:]


def run(*args, cwd=None):
    subprocess.run(args, check=True, cwd=cwd, stdout=subprocess.DEVNULL)


def soffice(src, fmt, outdir):
    profile = tempfile.mkdtemp()
    run("soffice", "-env:UserInstallation=file://" + profile, "--headless",
        "--convert-to", fmt, "--outdir", outdir, src)
    shutil.rmtree(profile, ignore_errors=True)


def x(s):
    return html.escape(s, quote=True)


FODT = """<?xml version="1.0" encoding="UTF-8"?>
<office:document xmlns:office="urn:oasis:names:tc:opendocument:xmlns:office:1.0"
 xmlns:style="urn:oasis:names:tc:opendocument:xmlns:style:1.0"
 xmlns:text="urn:oasis:names:tc:opendocument:xmlns:text:1.0"
 xmlns:fo="urn:oasis:names:tc:opendocument:xmlns:xsl-fo-compatible:1.0"
 xmlns:svg="urn:oasis:names:tc:opendocument:xmlns:svg-compatible:1.0"
 xmlns:meta="urn:oasis:names:tc:opendocument:xmlns:meta:1.0"
 xmlns:dc="http://purl.org/dc/elements/1.1/"
 office:version="1.3" office:mimetype="application/vnd.oasis.opendocument.text">
 <office:meta>
  <dc:title>{title}</dc:title>
  <meta:initial-creator>{author}</meta:initial-creator>
  <dc:creator>{author}</dc:creator>
  <meta:creation-date>{date}T09:00:00</meta:creation-date>
 </office:meta>
 <office:font-face-decls>
  <style:font-face style:name="CJK" svg:font-family="'{font}'"/>
 </office:font-face-decls>
 <office:styles>
  <style:default-style style:family="paragraph">
   <style:paragraph-properties fo:line-height="150%"/>
   <style:text-properties style:font-name="CJK" style:font-name-asian="CJK" fo:font-size="12pt" style:font-size-asian="12pt" fo:language="zh" fo:country="{country}" style:language-asian="zh" style:country-asian="{country}"/>
  </style:default-style>
  <style:style style:name="Standard" style:family="paragraph" style:class="text"/>
  <style:style style:name="Text_20_body" style:display-name="Text body" style:family="paragraph" style:parent-style-name="Standard">
   <style:paragraph-properties fo:margin-bottom="0.25cm" fo:text-indent="0.85cm"/>
  </style:style>
  <style:style style:name="Title" style:family="paragraph" style:parent-style-name="Standard" style:class="chapter">
   <style:paragraph-properties fo:text-align="center" fo:margin-bottom="0.5cm"/>
   <style:text-properties fo:font-size="22pt" style:font-size-asian="22pt" fo:font-weight="bold" style:font-weight-asian="bold"/>
  </style:style>
  <style:style style:name="Heading_20_1" style:display-name="Heading 1" style:family="paragraph" style:parent-style-name="Standard" style:default-outline-level="1" style:class="text">
   <style:paragraph-properties fo:margin-top="0.4cm" fo:margin-bottom="0.2cm"/>
   <style:text-properties fo:font-size="16pt" style:font-size-asian="16pt" fo:font-weight="bold" style:font-weight-asian="bold"/>
  </style:style>
  <style:style style:name="Header" style:family="paragraph" style:parent-style-name="Standard" style:class="extra">
   <style:paragraph-properties fo:text-align="end"/>
   <style:text-properties fo:font-size="9pt" style:font-size-asian="9pt"/>
  </style:style>
  <style:style style:name="Footer" style:family="paragraph" style:parent-style-name="Standard" style:class="extra">
   <style:paragraph-properties fo:text-align="center"/>
   <style:text-properties fo:font-size="9pt" style:font-size-asian="9pt"/>
  </style:style>
  <style:style style:name="Footnote" style:family="paragraph" style:parent-style-name="Standard" style:class="extra">
   <style:text-properties fo:font-size="9pt" style:font-size-asian="9pt"/>
  </style:style>
 </office:styles>
 <office:automatic-styles>
  <style:page-layout style:name="pm1">
   <style:page-layout-properties fo:page-width="21cm" fo:page-height="29.7cm" fo:margin-top="1.5cm" fo:margin-bottom="1.5cm" fo:margin-left="2.5cm" fo:margin-right="2.5cm"/>
   <style:header-style><style:header-footer-properties fo:min-height="0.8cm" fo:margin-bottom="0.4cm"/></style:header-style>
   <style:footer-style><style:header-footer-properties fo:min-height="0.8cm" fo:margin-top="0.4cm"/></style:footer-style>
  </style:page-layout>
 </office:automatic-styles>
 <office:master-styles>
  <style:master-page style:name="Standard" style:page-layout-name="pm1">
   <style:header><text:p text:style-name="Header">{header}</text:p></style:header>
   <style:footer><text:p text:style-name="Footer">{footer_before}<text:page-number text:select-page="current"/>{footer_after}</text:p></style:footer>
  </style:master-page>
 </office:master-styles>
 <office:body>
  <office:text>
{body}
  </office:text>
 </office:body>
</office:document>
"""


def fodt(path, title, blocks, font, country, header, footer, author, date):
    """Writes a Flat ODT. blocks: ("title"|"h1"|"p", text, footnote or None)."""
    out = []
    n = 0
    for kind, text, note in blocks:
        if kind == "title":
            out.append('<text:p text:style-name="Title">%s</text:p>' % x(text))
        elif kind == "h1":
            out.append('<text:h text:style-name="Heading_20_1" text:outline-level="1">%s</text:h>' % x(text))
        else:
            fn = ""
            if note:
                n += 1
                fn = ('<text:note text:id="ftn%d" text:note-class="footnote"><text:note-citation>%d</text:note-citation>'
                      '<text:note-body><text:p text:style-name="Footnote">%s</text:p></text:note-body></text:note>') % (n, n, x(note))
            out.append('<text:p text:style-name="Text_20_body">%s%s</text:p>' % (x(text), fn))
    before, after = footer.split("#")
    with open(path, "w", encoding="utf-8") as f:
        f.write(FODT.format(title=x(title), author=x(author), date=date, font=font, country=country,
                            header=x(header), footer_before=x(before), footer_after=x(after),
                            body="\n".join(out)))


def report_pdfs(tmp):
    title, paras = article("star-zh-hant.txt")
    blocks = [("title", title, None)]
    for i, p in enumerate(paras):
        blocks.append(("p", p, "資料來源：維基百科「恆星」條目，依 CC BY-SA 3.0 授權轉載。" if i == 0 else None))
    src = os.path.join(tmp, "report-zh-hant.fodt")
    fodt(src, title, blocks, "Noto Serif CJK TC", "TW", "天文知識讀本｜恆星", "第 # 頁", "天文知識編輯組", "2024-03-15")
    soffice(src, "pdf", OUT)

    title, paras = article("greatwall-zh-hans.txt")
    blocks = [("title", title, None)]
    for i, p in enumerate(paras):
        blocks.append(("p", p, "资料来源：维基百科「长城」条目，依 CC BY-SA 3.0 授权转载。" if i == 0 else None))
    src = os.path.join(tmp, "report-zh-hans.fodt")
    fodt(src, title, blocks, "Noto Serif CJK SC", "CN", "中国古代建筑专题｜长城", "— # —", "古建筑研究室", "2023-11-02")
    soffice(src, "pdf", OUT)


def long_report(tmp):
    title, paras = article("star-zh-hant.txt")
    blocks = [("title", title, None)]
    for k in range(12):
        blocks.append(("h1", "第%d章" % (k + 1), None))
        blocks += [("p", p, None) for p in paras]
    src = os.path.join(tmp, "long-report.fodt")
    fodt(src, title, blocks, "Noto Serif CJK TC", "TW", "天文知識讀本｜恆星", "第 # 頁", "天文知識編輯組", "2024-03-15")
    bench = os.path.join(HERE, "bench")
    os.makedirs(bench, exist_ok=True)
    soffice(src, "pdf", bench)
    soffice(src, 'docx:MS Word 2007 XML', bench)


def docx(tmp):
    title, paras = article("galileo.txt")
    heads = ["生平與貢獻", "與教廷的關係", "審判與望遠鏡"]
    blocks = [("title", title, None)]
    for i, p in enumerate(paras):
        blocks.append(("h1", heads[i], None))
        blocks.append(("p", p, "譯名依臺灣通行用法。" if i == 0 else None))
    src = os.path.join(tmp, "galileo.fodt")
    fodt(src, title, blocks, "Noto Serif CJK TC", "TW", "科學史人物", "#", "科學史讀書會", "2022-05-20")
    soffice(src, 'docx:MS Word 2007 XML', OUT)


def talks_lists():
    import datetime

    import docx
    from docx.oxml import parse_xml
    from docx.oxml.ns import nsdecls

    d = docx.Document()
    d.core_properties.title = "中美經貿談判的幾點啟示"
    d.core_properties.author = "wenda"
    d.core_properties.created = d.core_properties.modified = datetime.datetime(2025, 9, 20, 8, 0, 0)
    d.add_heading("中美經貿談判的幾點啟示", level=0)
    d.add_paragraph("從這一段時間的中美經貿談判可以看出，中美打交道想要取得積極和建設性的成果，有幾個要素是必不可少的：")
    for item in ["平等相待", "尊重對方的合理利益關切", "不斷建立政治互信", "增加兩國政府各個部門的互動和接觸"]:
        d.add_paragraph(item, style="List Number")
    d.add_paragraph("從中美發布的元首會晤信息看，這次互動主要展現以下幾個特徵：")
    numbering = d.part.numbering_part.element
    numbering.insert(0, parse_xml(
        '<w:abstractNum %s w:abstractNumId="90"><w:multiLevelType w:val="singleLevel"/>'
        '<w:lvl w:ilvl="0"><w:start w:val="1"/><w:numFmt w:val="chineseCounting"/>'
        '<w:lvlText w:val="%%1、"/><w:lvlJc w:val="left"/></w:lvl></w:abstractNum>' % nsdecls("w")))
    num = numbering.add_num(90)
    for item in [
        "兩國重視從各自的內政目標出發，尋求成為相互成就、共同繁榮的夥伴。",
        "中美元首希望兩國經貿團隊能夠將「共識」轉化為「安排」，雙方達成全面協議值得期待。",
        "中美或在經貿之外的其他領域推動交流、合作，為中美關係的戰略穩定打造更多的支撐點。",
    ]:
        p = d.add_paragraph(item)
        p._p.get_or_add_pPr().insert(0, parse_xml(
            '<w:numPr %s><w:ilvl w:val="0"/><w:numId w:val="%d"/></w:numPr>' % (nsdecls("w"), num.numId)))
    d.save(os.path.join(OUT, "talks-lists.docx"))


FODP = """<?xml version="1.0" encoding="UTF-8"?>
<office:document xmlns:office="urn:oasis:names:tc:opendocument:xmlns:office:1.0"
 xmlns:style="urn:oasis:names:tc:opendocument:xmlns:style:1.0"
 xmlns:text="urn:oasis:names:tc:opendocument:xmlns:text:1.0"
 xmlns:draw="urn:oasis:names:tc:opendocument:xmlns:drawing:1.0"
 xmlns:presentation="urn:oasis:names:tc:opendocument:xmlns:presentation:1.0"
 xmlns:svg="urn:oasis:names:tc:opendocument:xmlns:svg-compatible:1.0"
 xmlns:fo="urn:oasis:names:tc:opendocument:xmlns:xsl-fo-compatible:1.0"
 xmlns:dc="http://purl.org/dc/elements/1.1/"
 office:version="1.3" office:mimetype="application/vnd.oasis.opendocument.presentation">
 <office:meta><dc:title>{title}</dc:title><dc:creator>{author}</dc:creator></office:meta>
 <office:styles>
  <style:default-style style:family="graphic">
   <style:text-properties style:font-name-asian="Noto Sans CJK TC" fo:font-size="18pt" style:font-size-asian="18pt"/>
  </style:default-style>
  <style:presentation-page-layout style:name="AL1T0"><presentation:placeholder presentation:object="title" svg:x="2cm" svg:y="4cm" svg:width="24cm" svg:height="3cm"/><presentation:placeholder presentation:object="subtitle" svg:x="2cm" svg:y="8cm" svg:width="24cm" svg:height="2cm"/></style:presentation-page-layout>
  <style:presentation-page-layout style:name="AL2T1"><presentation:placeholder presentation:object="title" svg:x="1cm" svg:y="0.5cm" svg:width="26cm" svg:height="2cm"/><presentation:placeholder presentation:object="outline" svg:x="1cm" svg:y="3cm" svg:width="26cm" svg:height="12cm"/></style:presentation-page-layout>
 </office:styles>
 <office:automatic-styles>
  <style:style style:name="pr1" style:family="presentation"><style:graphic-properties draw:fill="none"/><style:text-properties fo:font-size="28pt" style:font-size-asian="28pt"/></style:style>
  <style:style style:name="pr2" style:family="presentation"><style:graphic-properties draw:fill="none"/><style:text-properties fo:font-size="16pt" style:font-size-asian="16pt"/></style:style>
  <style:page-layout style:name="PM1"><style:page-layout-properties fo:page-width="28cm" fo:page-height="15.75cm"/></style:page-layout>
 </office:automatic-styles>
 <office:master-styles>
  <style:master-page style:name="Default" style:page-layout-name="PM1">
   <draw:frame presentation:style-name="pr1" presentation:class="title" presentation:placeholder="true" svg:x="1cm" svg:y="0.5cm" svg:width="26cm" svg:height="2cm"><draw:text-box/></draw:frame>
   <draw:frame presentation:style-name="pr2" presentation:class="outline" presentation:placeholder="true" svg:x="1cm" svg:y="3cm" svg:width="26cm" svg:height="12cm"><draw:text-box/></draw:frame>
  </style:master-page>
 </office:master-styles>
 <office:body>
  <office:presentation>
{slides}
  </office:presentation>
 </office:body>
</office:document>
"""


def pptx(tmp, repeat=1, out=None):
    title, paras = article("pearl-harbor.txt")
    heads = ["概述", "作戰部署", "山本五十六的戰略考量"]
    slides = ['<draw:page draw:name="封面" draw:master-page-name="Default" presentation:presentation-page-layout-name="AL1T0">'
              '<draw:frame presentation:style-name="pr1" presentation:class="title" svg:x="2cm" svg:y="4cm" svg:width="24cm" svg:height="3cm"><draw:text-box><text:p>%s</text:p></draw:text-box></draw:frame>'
              '<draw:frame presentation:style-name="pr2" presentation:class="subtitle" svg:x="2cm" svg:y="8cm" svg:width="24cm" svg:height="2cm"><draw:text-box><text:p>歷史讀書會講義</text:p></draw:text-box></draw:frame>'
              '</draw:page>' % x(title)]
    for h, p in zip(heads * repeat, paras * repeat):
        sentences = [s for s in re.split(r"(?<=[。！？])", p) if s.strip()]
        # A slide holds about eight sentences; longer paragraphs go on.
        for k in range(0, len(sentences), 8):
            items = "".join("<text:list-item><text:p>%s</text:p></text:list-item>" % x(s) for s in sentences[k:k + 8])
            name = h if k == 0 else h + "（續）"
            slides.append('<draw:page draw:name="%s" draw:master-page-name="Default" presentation:presentation-page-layout-name="AL2T1">'
                          '<draw:frame presentation:style-name="pr1" presentation:class="title" svg:x="1cm" svg:y="0.5cm" svg:width="26cm" svg:height="2cm"><draw:text-box><text:p>%s</text:p></draw:text-box></draw:frame>'
                          '<draw:frame presentation:style-name="pr2" presentation:class="outline" svg:x="1cm" svg:y="3cm" svg:width="26cm" svg:height="12cm"><draw:text-box><text:list>%s</text:list></draw:text-box></draw:frame>'
                          '</draw:page>' % (x(name), x(name), items))
    name = "pearl-harbor" if repeat == 1 else "long-deck"
    src = os.path.join(tmp, name + ".fodp")
    with open(src, "w", encoding="utf-8") as f:
        f.write(FODP.format(title=x(title), author="歷史讀書會", slides="\n".join(slides)))
    soffice(src, 'pptx:Impress MS PowerPoint 2007 XML', out or OUT)


def xlsx(tmp, nrows=0):
    # Two sheets of facts stated in the 清朝行政区划 article.
    changes = [
        ("年份", "變更", "結果"),
        ("順治元年", "定鼎北京，以盛京為留都", "北京為京師"),
        ("順治二年", "改北直隸為直隸省，改南直隸為江南省", "直隸省、江南省"),
        ("康熙三年", "分湖廣為湖北、湖南二省", "湖北省、湖南省"),
        ("康熙六年", "江南省正式分為江蘇、安徽二省", "江蘇省、安徽省"),
    ]
    regions = [
        ("地區", "管理機構", "長官"),
        ("盛京、吉林、黑龍江", "將軍轄區", "將軍，下設副都統"),
        ("蒙古、西藏、青海、新疆", "理藩院（藩部）", "扎薩克或總管"),
        ("西藏", "噶廈", "駐藏大臣，駐喇薩"),
    ]
    # Calc writes one sheet per CSV; the workbook is assembled from a Flat ODS.
    rows_of = lambda rs: "\n".join(
        "<table:table-row>%s</table:table-row>" % "".join(
            '<table:table-cell office:value-type="string"><text:p>%s</text:p></table:table-cell>' % x(c) for c in r)
        for r in rs)
    fods = """<?xml version="1.0" encoding="UTF-8"?>
<office:document xmlns:office="urn:oasis:names:tc:opendocument:xmlns:office:1.0"
 xmlns:table="urn:oasis:names:tc:opendocument:xmlns:table:1.0"
 xmlns:text="urn:oasis:names:tc:opendocument:xmlns:text:1.0"
 xmlns:dc="http://purl.org/dc/elements/1.1/"
 office:version="1.3" office:mimetype="application/vnd.oasis.opendocument.spreadsheet">
 <office:meta><dc:title>清朝行政區劃沿革</dc:title></office:meta>
 <office:body><office:spreadsheet>
  <table:table table:name="省份沿革">%s</table:table>
  <table:table table:name="邊疆管理">%s</table:table>
 </office:spreadsheet></office:body>
</office:document>
""" % (rows_of(changes), rows_of(regions))
    name, out = "qing-provinces", OUT
    if nrows:
        # The benchmark's sheet: the first sheet's rows, numbered, many times.
        numbered = [("序號",) + changes[0]] + [(str(i + 1),) + changes[1 + i % 4] for i in range(nrows)]
        fods = fods.replace(rows_of(changes), rows_of(numbered)).replace(rows_of(regions), rows_of(regions[:2]))
        name, out = "long-table", os.path.join(HERE, "bench")
    src = os.path.join(tmp, name + ".fods")
    with open(src, "w", encoding="utf-8") as f:
        f.write(fods)
    soffice(src, 'xlsx:Calc MS Excel 2007 XML', out)


NEWS = """<!DOCTYPE html>
<html lang="zh-CN">
<head>
<meta charset="utf-8">
<title>{title}_历史频道_环球资讯网</title>
<meta name="keywords" content="越南,历史,潘佩珠,梁启超">
<meta name="description" content="{desc}">
<meta property="og:title" content="{title}">
<meta property="og:site_name" content="环球资讯网">
<meta property="article:published_time" content="2024-06-18T08:30:00+08:00">
<meta name="author" content="林晓">
<link rel="stylesheet" href="/static/css/article.css">
<style>.nav a{{margin:0 8px}} .ad{{background:#eee}} #hot li{{line-height:1.8}}</style>
<script>window.__INITIAL_STATE__={{"channel":"history","pv":true,"text":"请在此处输入广告文案：限时特惠，点击领取"}};</script>
<script src="https://cdn.example.com/analytics.js" async></script>
</head>
<body>
<div class="topbar"><a href="/">首页</a> | <a href="/login">登录</a> | <a href="/app">下载客户端</a></div>
<div class="nav"><a href="/news">新闻</a><a href="/finance">财经</a><a href="/tech">科技</a><a href="/history">历史</a><a href="/sports">体育</a><a href="/ent">娱乐</a></div>
<div class="ad" id="ad-top"><a href="https://ad.example.com/click?id=42">【广告】暑期出游季，机票酒店低至三折，立即抢购！</a></div>
<div class="breadcrumb"><a href="/">首页</a> &gt; <a href="/history">历史</a> &gt; 正文</div>
<div class="main">
<article class="article">
<h1 class="article-title">{title}</h1>
<div class="article-meta"><span class="time">2024-06-18 08:30</span> <span class="source">来源：环球资讯网</span> <span class="author">作者：林晓</span></div>
<div class="share">分享到：<a>微信</a> <a>微博</a> <a>QQ空间</a></div>
<div class="article-content">
{paras}
<p class="editor">【责任编辑：王明】</p>
</div>
</article>
<div class="share-bottom"><span>点赞 128</span> <span>收藏</span> <span>举报</span></div>
<div class="related"><h3>相关推荐</h3><ul>
<li><a href="/h/1">日本明治维新：一场自上而下的改革</a></li>
<li><a href="/h/2">法属印度支那的建立与瓦解</a></li>
<li><a href="/h/3">近代东亚的报刊与舆论</a></li>
</ul></div>
</div>
<aside class="sidebar">
<div class="ad"><img src="/ads/banner.jpg" alt="广告"><p>投资理财，稳健收益，年化最高可达8%，点击了解详情</p></div>
<div id="hot"><h3>24小时热文</h3><ol>
<li><a href="/n/101">多地迎来强降雨，气象部门发布暴雨预警</a> <span>2024-06-18 07:12</span></li>
<li><a href="/n/102">新能源汽车下乡活动启动，覆盖上百个县市</a> <span>2024-06-18 06:45</span></li>
<li><a href="/n/103">高考成绩陆续公布，各地查分时间汇总</a> <span>2024-06-17 22:30</span></li>
<li><a href="/n/104">世界杯预选赛：国足客场负于对手</a> <span>2024-06-17 21:05</span></li>
</ol></div>
</aside>
<div class="footer"><p>关于我们 | 联系我们 | 广告服务 | 网站地图</p><p>Copyright © 2024 环球资讯网 版权所有 京ICP备00000000号</p></div>
<script>document.querySelectorAll('.share a').forEach(function(a){{a.onclick=function(){{alert('分享成功')}}}});</script>
</body>
</html>
"""


def news(repeat=1):
    title, paras = article("vietnam-history.txt")
    # The source is one long paragraph; a page splits it where the article's
    # sentences change subject.
    text = paras[0]
    sentences = [s for s in re.split(r"(?<=[。！？])", text) if s.strip()]
    third = max(1, len(sentences) // 3)
    groups = [sentences[:third], sentences[third:2 * third], sentences[2 * third:]]
    body = "\n".join("<p>%s</p>" % x("".join(g)) for g in groups if g)
    path = os.path.join(OUT, "news.html")
    if repeat > 1:
        body = "\n".join([body] * repeat)
        path = os.path.join(HERE, "bench", "long-page.html")
    with open(path, "w", encoding="utf-8") as f:
        f.write(NEWS.format(title=x(title), desc=x(sentences[0]), paras=body))


PRINT_HTML = """<!DOCTYPE html>
<html lang="zh-CN"><head><meta charset="utf-8"><title>{title}</title>
<style>body{{font-family:'Noto Sans CJK SC';font-size:15px;line-height:1.7;margin:2cm}} h1{{font-size:26px}}</style>
</head><body><h1>{title}</h1>
{paras}
</body></html>
"""


def web_print(tmp):
    title, paras = article("shanghai-station.txt")
    page = os.path.join(tmp, "shanghai-station.html")
    with open(page, "w", encoding="utf-8") as f:
        f.write(PRINT_HTML.format(title=x(title), paras="\n".join("<p>%s</p>" % x(p) for p in paras)))
    profile = tempfile.mkdtemp()
    run("chromium", "--headless", "--no-sandbox", "--disable-gpu", "--no-first-run",
        "--disable-background-networking", "--disable-component-update", "--disable-sync",
        "--user-data-dir=" + profile, "--no-pdf-header-footer",
        "--print-to-pdf=" + os.path.join(OUT, "web-print.pdf"), "file://" + page)
    shutil.rmtree(profile, ignore_errors=True)


def cid_pdf():
    from reportlab.lib.pagesizes import A4
    from reportlab.lib.styles import ParagraphStyle
    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.cidfonts import UnicodeCIDFont
    from reportlab.platypus import Paragraph, SimpleDocTemplate, Spacer

    pdfmetrics.registerFont(UnicodeCIDFont("STSong-Light"))
    title, paras = article("millennium-queen.txt")
    h = ParagraphStyle("h", fontName="STSong-Light", fontSize=18, leading=26, alignment=1, spaceAfter=12)
    b = ParagraphStyle("b", fontName="STSong-Light", fontSize=11, leading=19, wordWrap="CJK", firstLineIndent=22)
    doc = SimpleDocTemplate(os.path.join(OUT, "notice-cid.pdf"), pagesize=A4, title=title,
                            author="动画资料馆", invariant=1)
    story = [Paragraph(x(title), h)]
    for p in paras:
        story += [Paragraph(x(p), b), Spacer(1, 8)]
    doc.build(story)


def scanned(tmp):
    # The first page of the Traditional report as a 100 dpi grey scan.
    run("pdftoppm", "-r", "100", "-gray", "-png", "-f", "1", "-l", "1",
        os.path.join(OUT, "report-zh-hant.pdf"), os.path.join(tmp, "scan"))
    png = [f for f in os.listdir(tmp) if f.startswith("scan") and f.endswith(".png")][0]
    run("img2pdf", "--output", os.path.join(OUT, "scanned.pdf"), os.path.join(tmp, png))


def encrypted():
    run("qpdf", "--encrypt", "wenda", "owner-wenda", "256", "--",
        os.path.join(OUT, "notice-cid.pdf"), os.path.join(OUT, "encrypted.pdf"))


def texts():
    def conv(src, enc, dst, bom=False):
        with open(os.path.join(SRC, src), encoding="utf-8") as f:
            data = f.read()
        with open(os.path.join(tmp_text, src), "w", encoding="utf-8") as f:
            f.write(data)
        out = subprocess.run(["iconv", "-f", "UTF-8", "-t", enc, os.path.join(tmp_text, src)],
                             check=True, capture_output=True).stdout
        with open(os.path.join(OUT, dst), "wb") as f:
            f.write(out)

    tmp_text = tempfile.mkdtemp()
    conv("conciergerie-gbk.txt", "GBK", "conciergerie-gbk.txt")
    conv("rwanda-big5.txt", "BIG5", "rwanda-big5.txt")
    conv("blue-horde-utf16.txt", "UTF-16", "blue-horde-utf16.txt")
    shutil.rmtree(tmp_text)

    title, paras = article("dirac.txt")
    md = "# " + title + "\n\n" + "\n\n".join(paras) + "\n"
    with open(os.path.join(OUT, "dirac-bom.md"), "wb") as f:
        f.write(b"\xef\xbb\xbf" + md.encode("utf-8"))


def unsupported(tmp):
    run("convert", "-size", "64x48", "gradient:navy-white", os.path.join(OUT, "photo.png"))
    shutil.copy(os.path.join(SRC, "millennium-queen.txt"), os.path.join(tmp, "notes.txt"))
    run("zip", "-q", "-X", os.path.join(OUT, "bundle.zip"), "notes.txt", cwd=tmp)


def main():
    os.makedirs(OUT, exist_ok=True)
    tmp = tempfile.mkdtemp()
    report_pdfs(tmp)
    long_report(tmp)
    docx(tmp)
    talks_lists()
    pptx(tmp)
    pptx(tmp, repeat=8, out=os.path.join(HERE, "bench"))
    xlsx(tmp)
    xlsx(tmp, nrows=2000)
    web_print(tmp)
    cid_pdf()
    scanned(tmp)
    encrypted()
    news()
    news(repeat=12)
    texts()
    unsupported(tmp)
    shutil.rmtree(tmp)


if __name__ == "__main__":
    main()
