"""Default texts of the legal pages, seeded by migration 0002; administrators adapt
them in the Django admin ("Rechtliche Seiten"). Plain text: blank line = paragraph,
"## " = sub-heading."""

PRIVACY = (
    "Datenschutzerklärung",
    """Der Rhein-Sieg-Kreis betreibt dieses Portal für den Runden Tisch zur Integration von \
Ausländern und Aussiedlern. Hier erfahren Sie, welche personenbezogenen Daten wir dabei \
verarbeiten und welche Rechte Sie haben.

## Verantwortliche Stelle
Rhein-Sieg-Kreis, vertreten durch den Landrat, Kaiser-Wilhelm-Platz 1, 53721 Siegburg, \
Telefon 02241 13-0, E-Mail info@rhein-sieg-kreis.de.

## Datenschutzbeauftragte
Die behördliche Datenschutzbeauftragte des Rhein-Sieg-Kreises erreichen Sie unter der \
oben genannten Anschrift mit dem Zusatz „Datenschutzbeauftragte“ oder per E-Mail an \
datenschutz@rhein-sieg-kreis.de.

## Zweck und Rechtsgrundlage
Wir verarbeiten Ihre Daten, um die Arbeit des Runden Tisches durchzuführen: Ideen \
sammeln, in Workshops bearbeiten, Konzepte erarbeiten und den politischen Gremien \
vorlegen. Rechtsgrundlage ist Art. 6 Abs. 1 Buchstabe e DSGVO in Verbindung mit § 3 \
DSG NRW (Aufgabe im öffentlichen Interesse).

## Welche Daten wir verarbeiten
Name, E-Mail-Adresse, dienstliche Telefonnummer und Funktion, Ihre Zugehörigkeit zu \
einem Amt oder einer Organisation, Ihre Rolle im Portal, die von Ihnen eingereichten \
Ideen, Kommentare, Unterstützungen und Anhänge, Ihre Teilnahme an Workshops und \
Mitzeichnungen sowie Protokolle der Anmeldung (Zeitpunkt, IP-Adresse bei \
fehlgeschlagenen Anmeldeversuchen).

## Cookies
Das Portal setzt nur technisch notwendige Cookies: ein Sitzungs-Cookie für die Anmeldung \
(es endet nach 30 Minuten ohne Aktivität oder beim Abmelden), ein Cookie zum Schutz vor \
gefälschten Formularen (CSRF) und gegebenenfalls die gewählte Sprache. Es gibt keine \
Analyse- oder Werbe-Cookies und keine Inhalte von Dritten.

## Speicherdauer
Beiträge bleiben als Teil des Verfahrens des Runden Tisches erhalten. Die \
personenbezogenen Daten eines Kontos, das über die festgelegte Frist nicht genutzt \
wurde, werden automatisch gelöscht; Ihre Beiträge erscheinen dann unter dem Hinweis \
„Gelöschte Person“. Protokolle fehlgeschlagener Anmeldungen werden nach kurzer Zeit \
gelöscht.

## Ihre Rechte
Sie haben das Recht auf Auskunft (Art. 15 DSGVO), Berichtigung (Art. 16), Löschung \
(Art. 17), Einschränkung der Verarbeitung (Art. 18), Datenübertragbarkeit (Art. 20) und \
Widerspruch (Art. 21). Unter „Meine Daten“ laden Sie Ihre Daten als Datei herunter und \
beantragen die Löschung Ihres Kontos. Sie können sich bei der Landesbeauftragten für \
Datenschutz und Informationsfreiheit Nordrhein-Westfalen, Kavalleriestraße 2–4, \
40213 Düsseldorf, beschweren.""",
)

IMPRINT = (
    "Impressum",
    """## Herausgeber
Rhein-Sieg-Kreis
Der Landrat
Kaiser-Wilhelm-Platz 1
53721 Siegburg

Telefon 02241 13-0
E-Mail info@rhein-sieg-kreis.de

Der Rhein-Sieg-Kreis ist eine Körperschaft des öffentlichen Rechts. Er wird gesetzlich \
vertreten durch den Landrat.

## Inhaltlich verantwortlich
Amt 50.3 Besondere soziale Aufgaben, Geschäftsstelle des Runden Tisches zur Integration, \
Anschrift wie oben.

## Haftung für Inhalte
Die Beiträge im Portal geben die Meinung der jeweiligen Verfasserinnen und Verfasser \
wieder. Die Moderation prüft die Beiträge, kann aber keine Gewähr für ihre \
Richtigkeit übernehmen.""",
)

ACCESSIBILITY = (
    "Erklärung zur Barrierefreiheit",
    """Der Rhein-Sieg-Kreis ist bemüht, dieses Portal im Einklang mit der \
Barrierefreie-Informationstechnik-Verordnung Nordrhein-Westfalen (BITV NRW) und der \
Richtlinie (EU) 2016/2102 barrierefrei zugänglich zu machen.

## Stand der Vereinbarkeit mit den Anforderungen
Das Portal wurde nach den Web Content Accessibility Guidelines (WCAG) 2.1, Stufe AA, \
entwickelt und wird bei jeder Änderung automatisch mit axe-core geprüft. Alle Aufgaben \
lassen sich mit der Tastatur erledigen, auch das Gruppieren von Ideen. Die erzeugten \
Beschlussvorlagen sind getaggte PDF-Dateien (PDF/UA-1).

## Nicht barrierefreie Inhalte
Anhänge, die Beteiligte hochladen, prüfen wir nicht auf Barrierefreiheit. Wenn Sie einen \
Anhang nicht lesen können, melden Sie sich bitte über das Formular unten; wir stellen \
Ihnen den Inhalt in einer zugänglichen Form bereit.

## Erstellung dieser Erklärung
Diese Erklärung beruht auf einer Selbstbewertung und wird bei wesentlichen Änderungen \
des Portals aktualisiert.

## Feedback und Kontakt
Sind Ihnen Mängel beim barrierefreien Zugang aufgefallen? Schreiben Sie uns über das \
Formular auf dieser Seite. Wir antworten Ihnen innerhalb von sechs Wochen.

## Durchsetzungsverfahren
Wenn Sie innerhalb von sechs Wochen keine zufriedenstellende Antwort erhalten, können \
Sie sich an die Ombudsstelle für barrierefreie Informationstechnik des Landes \
Nordrhein-Westfalen bei der Landesbeauftragten für Menschen mit Behinderung wenden \
(ombudsstelle-barrierefreie-it@mags.nrw.de).""",
)

DEFAULTS = {
    "datenschutz": PRIVACY,
    "impressum": IMPRINT,
    "barrierefreiheit": ACCESSIBILITY,
}
