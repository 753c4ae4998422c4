using Abitly.Domain.Scoring;

namespace Abitly.Campaign.Generation;

/// <summary>Speciality groups: each has its own weights, its applicants' favourite 4th subjects and its universities.</summary>
internal enum SpecialityGroup
{
    Education,
    Sport,
    Arts,
    Humanities,
    Social,
    Economics,
    Law,
    International,
    Natural,
    Mathematics,
    InformationTechnology,
    Engineering,
    Agriculture,
    Medicine,
}

/// <summary>What a university mostly teaches.</summary>
internal enum UniversityProfile
{
    Classical,
    Technical,
    Medical,
    Economic,
    Pedagogical,
    Agrarian,
    Arts,
    Law,
}

/// <summary>A speciality as the generator uses it.</summary>
/// <param name="Demand">How many applicants want it, relative to the others.</param>
/// <param name="OfferShare">How many offers it has, relative to the others.</param>
/// <param name="BudgetShare">Budget places per offer, relative to the others (law and IR get few, engineering many).</param>
/// <param name="Programs">Programme names its offers use.</param>
/// <param name="Creative">Whether its offers hold a creative competition (weights slot 5).</param>
internal sealed record CatalogSpeciality(
    string Code,
    string Name,
    SpecialityGroup Group,
    double Demand,
    double OfferShare,
    double BudgetShare,
    string[] Programs,
    bool Creative = false);

/// <summary>A university as the generator uses it.</summary>
/// <param name="Size">Relative number of offers.</param>
/// <param name="Prestige">0–1: how selective its offers are.</param>
internal sealed record CatalogUniversity(long? EdboId, string Name, string ShortName, string Region, UniversityProfile Profile, double Size, double Prestige);

/// <summary>Reference data for the generator: universities across regions, 2025 letter-code specialities, weights per group.</summary>
internal static class Catalog
{
    /// <summary>РК by region, 2025 (DESIGN §7.2): 1.07 for five frontline oblasts, 1.04 for three more, 1.00 elsewhere.</summary>
    public static decimal RegionalCoefficient(string region) => region switch
    {
        "Запорізька область" or "Миколаївська область" or "Одеська область" or "Сумська область" or "Харківська область" => 1.07m,
        "Дніпропетровська область" or "Полтавська область" or "Чернігівська область" => 1.04m,
        _ => 1.00m,
    };

    public static readonly CatalogSpeciality[] Specialities =
    [
        new("A2", "Дошкільна освіта", SpecialityGroup.Education, 2.0, 2.5, 1.4, ["Дошкільна освіта"]),
        new("A3", "Початкова освіта", SpecialityGroup.Education, 3.0, 3.0, 1.6, ["Початкова освіта"]),
        new("A4", "Середня освіта (за предметними спеціальностями)", SpecialityGroup.Education, 4.0, 6.0, 1.6, ["Середня освіта (Українська мова і література)", "Середня освіта (Математика)", "Середня освіта (Історія)", "Середня освіта (Англійська мова)"]),
        new("A7", "Фізична культура і спорт", SpecialityGroup.Sport, 2.5, 2.5, 1.0, ["Фізична культура і спорт"]),
        new("B2", "Дизайн", SpecialityGroup.Arts, 2.5, 2.0, 0.5, ["Графічний дизайн", "Дизайн середовища"], Creative: true),
        new("B4", "Музичне мистецтво", SpecialityGroup.Arts, 0.8, 1.2, 0.9, ["Музичне мистецтво"], Creative: true),
        new("B9", "Історія та археологія", SpecialityGroup.Humanities, 1.2, 1.5, 1.0, ["Історія та археологія"]),
        new("B11", "Філологія (за спеціалізаціями)", SpecialityGroup.Humanities, 4.5, 4.0, 1.0, ["Філологія (Германські мови та літератури)", "Філологія (Українська мова та література)", "Філологія (Прикладна лінгвістика)"]),
        new("C1", "Економіка та міжнародні економічні відносини", SpecialityGroup.Economics, 3.5, 3.5, 0.6, ["Економіка", "Міжнародні економічні відносини"]),
        new("C2", "Політологія", SpecialityGroup.Social, 0.8, 1.0, 0.5, ["Політологія"]),
        new("C3", "Міжнародні відносини", SpecialityGroup.International, 2.5, 1.2, 0.3, ["Міжнародні відносини, суспільні комунікації та регіональні студії"]),
        new("C4", "Психологія", SpecialityGroup.Social, 5.5, 3.5, 0.4, ["Психологія", "Практична психологія"]),
        new("C5", "Соціологія", SpecialityGroup.Social, 0.7, 1.0, 0.6, ["Соціологія"]),
        new("C7", "Журналістика", SpecialityGroup.Social, 2.5, 2.0, 0.4, ["Журналістика", "Реклама та зв'язки з громадськістю"]),
        new("D1", "Облік і оподаткування", SpecialityGroup.Economics, 1.5, 2.5, 0.5, ["Облік і оподаткування"]),
        new("D2", "Фінанси, банківська справа, страхування та фондовий ринок", SpecialityGroup.Economics, 2.5, 3.0, 0.5, ["Фінанси, банківська справа та страхування"]),
        new("D3", "Менеджмент", SpecialityGroup.Economics, 4.0, 4.0, 0.4, ["Менеджмент", "Управління проєктами"]),
        new("D4", "Публічне управління та адміністрування", SpecialityGroup.Economics, 1.2, 1.5, 0.4, ["Публічне управління та адміністрування"]),
        new("D5", "Маркетинг", SpecialityGroup.Economics, 3.0, 2.5, 0.3, ["Маркетинг", "Цифровий маркетинг"]),
        new("D7", "Торгівля", SpecialityGroup.Economics, 1.0, 1.5, 0.4, ["Підприємництво та торгівля"]),
        new("D8", "Право", SpecialityGroup.Law, 7.0, 4.0, 0.3, ["Право"]),
        new("D9", "Міжнародне право", SpecialityGroup.Law, 1.5, 0.8, 0.3, ["Міжнародне право"]),
        new("E1", "Біологія та біохімія", SpecialityGroup.Natural, 1.5, 1.5, 1.6, ["Біологія", "Біохімія"]),
        new("E2", "Екологія", SpecialityGroup.Natural, 0.8, 1.5, 1.4, ["Екологія"]),
        new("E3", "Хімія", SpecialityGroup.Natural, 0.6, 1.0, 2.0, ["Хімія"]),
        new("E5", "Фізика та астрономія", SpecialityGroup.Mathematics, 0.6, 1.0, 2.2, ["Фізика та астрономія"]),
        new("E7", "Математика", SpecialityGroup.Mathematics, 0.7, 1.0, 2.2, ["Математика"]),
        new("F1", "Прикладна математика", SpecialityGroup.InformationTechnology, 1.5, 1.5, 1.8, ["Прикладна математика"]),
        new("F2", "Інженерія програмного забезпечення", SpecialityGroup.InformationTechnology, 5.0, 2.5, 1.3, ["Інженерія програмного забезпечення"]),
        new("F3", "Комп'ютерні науки", SpecialityGroup.InformationTechnology, 8.0, 4.5, 1.3, ["Комп'ютерні науки", "Штучний інтелект", "Науки про дані"]),
        new("F4", "Системний аналіз та наука про дані", SpecialityGroup.InformationTechnology, 1.5, 1.2, 1.5, ["Системний аналіз"]),
        new("F5", "Кібербезпека та захист інформації", SpecialityGroup.InformationTechnology, 3.0, 2.0, 1.5, ["Кібербезпека та захист інформації"]),
        new("F6", "Інформаційні системи та технології", SpecialityGroup.InformationTechnology, 2.0, 2.0, 1.4, ["Інформаційні системи та технології"]),
        new("F7", "Комп'ютерна інженерія", SpecialityGroup.InformationTechnology, 2.0, 2.0, 1.5, ["Комп'ютерна інженерія"]),
        new("G3", "Електрична інженерія", SpecialityGroup.Engineering, 1.2, 2.0, 2.2, ["Електроенергетика, електротехніка та електромеханіка"]),
        new("G5", "Електроніка, електронні комунікації, приладобудування та радіотехніка", SpecialityGroup.Engineering, 1.0, 2.0, 2.2, ["Телекомунікації та радіотехніка", "Електроніка"]),
        new("G7", "Автоматизація, комп'ютерно-інтегровані технології та робототехніка", SpecialityGroup.Engineering, 1.0, 2.0, 2.2, ["Автоматизація та комп'ютерно-інтегровані технології", "Робототехніка"]),
        new("G9", "Прикладна механіка", SpecialityGroup.Engineering, 0.6, 1.5, 2.2, ["Прикладна механіка"]),
        new("G11", "Машинобудування (за спеціалізаціями)", SpecialityGroup.Engineering, 0.6, 1.5, 2.2, ["Машинобудування"]),
        new("G12", "Авіаційна та ракетно-космічна техніка", SpecialityGroup.Engineering, 0.8, 1.0, 2.2, ["Авіаційна та ракетно-космічна техніка"]),
        new("G19", "Будівництво та цивільна інженерія", SpecialityGroup.Engineering, 1.5, 2.0, 1.6, ["Будівництво та цивільна інженерія"]),
        new("H1", "Агрономія", SpecialityGroup.Agriculture, 1.0, 2.0, 1.8, ["Агрономія"]),
        new("H6", "Ветеринарна медицина", SpecialityGroup.Agriculture, 1.5, 1.2, 1.2, ["Ветеринарна медицина"]),
        new("I1", "Стоматологія", SpecialityGroup.Medicine, 2.5, 1.2, 0.5, ["Стоматологія"]),
        new("I2", "Медицина", SpecialityGroup.Medicine, 6.0, 2.5, 1.5, ["Медицина"]),
        new("I3", "Педіатрія", SpecialityGroup.Medicine, 1.0, 1.0, 1.2, ["Педіатрія"]),
        new("I5", "Медсестринство", SpecialityGroup.Medicine, 1.2, 1.5, 0.8, ["Медсестринство"]),
        new("I6", "Терапія та реабілітація", SpecialityGroup.Medicine, 1.5, 1.5, 0.7, ["Фізична терапія"]),
        new("I8", "Фармація", SpecialityGroup.Medicine, 1.5, 1.2, 0.6, ["Фармація, промислова фармація"]),
    ];

    public static readonly CatalogUniversity[] Universities =
    [
        new(41, "Київський національний університет імені Тараса Шевченка", "КНУ імені Тараса Шевченка", "м. Київ", UniversityProfile.Classical, 3.0, 0.95),
        new(174, "Національний технічний університет України «Київський політехнічний інститут імені Ігоря Сікорського»", "КПІ ім. Ігоря Сікорського", "м. Київ", UniversityProfile.Technical, 3.0, 0.9),
        new(79, "Національний університет «Києво-Могилянська академія»", "НаУКМА", "м. Київ", UniversityProfile.Classical, 1.2, 0.97),
        new(27, "Національний авіаційний університет", "НАУ", "м. Київ", UniversityProfile.Technical, 1.8, 0.6),
        new(45, "Київський національний економічний університет імені Вадима Гетьмана", "КНЕУ", "м. Київ", UniversityProfile.Economic, 1.5, 0.75),
        new(1086, "Національний медичний університет імені О. О. Богомольця", "НМУ ім. О. О. Богомольця", "м. Київ", UniversityProfile.Medical, 1.0, 0.9),
        new(1160, "Київський столичний університет імені Бориса Грінченка", "КСУ ім. Б. Грінченка", "м. Київ", UniversityProfile.Pedagogical, 1.6, 0.65),
        new(1245, "Національний університет біоресурсів і природокористування України", "НУБіП України", "м. Київ", UniversityProfile.Agrarian, 1.8, 0.55),
        new(1168, "Київський національний університет будівництва і архітектури", "КНУБА", "м. Київ", UniversityProfile.Technical, 1.2, 0.55),
        new(1136, "Державний торговельно-економічний університет", "ДТЕУ", "м. Київ", UniversityProfile.Economic, 1.4, 0.55),
        new(1119, "Український державний університет імені Михайла Драгоманова", "УДУ імені Михайла Драгоманова", "м. Київ", UniversityProfile.Pedagogical, 1.6, 0.5),
        new(1187, "Київський національний університет технологій та дизайну", "КНУТД", "м. Київ", UniversityProfile.Arts, 1.2, 0.5),
        new(1207, "Державний університет інформаційно-комунікаційних технологій", "ДУІКТ", "м. Київ", UniversityProfile.Technical, 1.2, 0.45),
        new(145, "Львівський національний університет імені Івана Франка", "ЛНУ ім. Івана Франка", "Львівська область", UniversityProfile.Classical, 2.6, 0.85),
        new(71, "Національний університет «Львівська політехніка»", "НУ «Львівська політехніка»", "Львівська область", UniversityProfile.Technical, 2.8, 0.85),
        new(1262, "Львівський національний медичний університет імені Данила Галицького", "ЛНМУ ім. Данила Галицького", "Львівська область", UniversityProfile.Medical, 1.0, 0.85),
        new(null, "Український католицький університет", "УКУ", "Львівська область", UniversityProfile.Classical, 0.6, 0.85),
        new(1290, "Львівська національна академія мистецтв", "ЛНАМ", "Львівська область", UniversityProfile.Arts, 0.5, 0.6),
        new(1311, "Львівський національний університет ветеринарної медицини та біотехнологій імені С. З. Гжицького", "ЛНУВМБ ім. С. З. Гжицького", "Львівська область", UniversityProfile.Agrarian, 0.7, 0.45),
        new(84, "Харківський національний університет імені В. Н. Каразіна", "ХНУ імені В. Н. Каразіна", "Харківська область", UniversityProfile.Classical, 2.4, 0.8),
        new(1331, "Національний технічний університет «Харківський політехнічний інститут»", "НТУ «ХПІ»", "Харківська область", UniversityProfile.Technical, 2.4, 0.7),
        new(1348, "Харківський національний університет радіоелектроніки", "ХНУРЕ", "Харківська область", UniversityProfile.Technical, 1.4, 0.7),
        new(1356, "Національний аерокосмічний університет «Харківський авіаційний інститут»", "ХАІ", "Харківська область", UniversityProfile.Technical, 1.3, 0.65),
        new(1361, "Харківський національний медичний університет", "ХНМУ", "Харківська область", UniversityProfile.Medical, 0.9, 0.75),
        new(1374, "Національний юридичний університет імені Ярослава Мудрого", "НЮУ ім. Ярослава Мудрого", "Харківська область", UniversityProfile.Law, 0.9, 0.8),
        new(1380, "Харківський національний економічний університет імені Семена Кузнеця", "ХНЕУ ім. С. Кузнеця", "Харківська область", UniversityProfile.Economic, 1.1, 0.55),
        new(1399, "Одеський національний університет імені І. І. Мечникова", "ОНУ імені І. І. Мечникова", "Одеська область", UniversityProfile.Classical, 2.0, 0.7),
        new(1402, "Національний університет «Одеська політехніка»", "НУ «Одеська політехніка»", "Одеська область", UniversityProfile.Technical, 1.6, 0.6),
        new(1416, "Одеський національний медичний університет", "ОНМедУ", "Одеська область", UniversityProfile.Medical, 0.9, 0.75),
        new(1423, "Національний університет «Одеська юридична академія»", "НУ «ОЮА»", "Одеська область", UniversityProfile.Law, 0.9, 0.7),
        new(1437, "Одеський національний економічний університет", "ОНЕУ", "Одеська область", UniversityProfile.Economic, 0.9, 0.5),
        new(1450, "Дніпровський національний університет імені Олеся Гончара", "ДНУ ім. Олеся Гончара", "Дніпропетровська область", UniversityProfile.Classical, 2.0, 0.65),
        new(1463, "Національний технічний університет «Дніпровська політехніка»", "НТУ «ДП»", "Дніпропетровська область", UniversityProfile.Technical, 1.5, 0.6),
        new(1478, "Дніпровський державний медичний університет", "ДДМУ", "Дніпропетровська область", UniversityProfile.Medical, 0.8, 0.7),
        new(1485, "Український державний університет науки і технологій", "УДУНТ", "Дніпропетровська область", UniversityProfile.Technical, 1.5, 0.5),
        new(1497, "Запорізький національний університет", "ЗНУ", "Запорізька область", UniversityProfile.Classical, 1.6, 0.55),
        new(1503, "Національний університет «Запорізька політехніка»", "НУ «Запорізька політехніка»", "Запорізька область", UniversityProfile.Technical, 1.2, 0.5),
        new(1511, "Запорізький державний медико-фармацевтичний університет", "ЗДМФУ", "Запорізька область", UniversityProfile.Medical, 0.7, 0.65),
        new(1526, "Національний університет кораблебудування імені адмірала Макарова", "НУК", "Миколаївська область", UniversityProfile.Technical, 1.0, 0.45),
        new(1532, "Миколаївський національний університет імені В. О. Сухомлинського", "МНУ ім. В. О. Сухомлинського", "Миколаївська область", UniversityProfile.Pedagogical, 1.0, 0.45),
        new(1547, "Миколаївський національний аграрний університет", "МНАУ", "Миколаївська область", UniversityProfile.Agrarian, 0.7, 0.4),
        new(1553, "Сумський державний університет", "СумДУ", "Сумська область", UniversityProfile.Classical, 1.8, 0.6),
        new(1568, "Сумський національний аграрний університет", "СНАУ", "Сумська область", UniversityProfile.Agrarian, 0.8, 0.4),
        new(1574, "Сумський державний педагогічний університет імені А. С. Макаренка", "СумДПУ ім. А. С. Макаренка", "Сумська область", UniversityProfile.Pedagogical, 0.8, 0.4),
        new(1589, "Національний університет «Полтавська політехніка імені Юрія Кондратюка»", "НУПП", "Полтавська область", UniversityProfile.Technical, 1.2, 0.5),
        new(1595, "Полтавський державний медичний університет", "ПДМУ", "Полтавська область", UniversityProfile.Medical, 0.7, 0.65),
        new(1602, "Полтавський державний аграрний університет", "ПДАУ", "Полтавська область", UniversityProfile.Agrarian, 0.7, 0.4),
        new(1618, "Національний університет «Чернігівська політехніка»", "НУ «Чернігівська політехніка»", "Чернігівська область", UniversityProfile.Technical, 1.0, 0.45),
        new(1623, "Національний університет «Чернігівський колегіум» імені Т. Г. Шевченка", "НУЧК ім. Т. Г. Шевченка", "Чернігівська область", UniversityProfile.Pedagogical, 0.8, 0.4),
        new(1639, "Вінницький національний технічний університет", "ВНТУ", "Вінницька область", UniversityProfile.Technical, 1.2, 0.55),
        new(1644, "Вінницький національний медичний університет імені М. І. Пирогова", "ВНМУ ім. М. І. Пирогова", "Вінницька область", UniversityProfile.Medical, 0.9, 0.75),
        new(1650, "Вінницький державний педагогічний університет імені Михайла Коцюбинського", "ВДПУ ім. М. Коцюбинського", "Вінницька область", UniversityProfile.Pedagogical, 1.0, 0.45),
        new(1667, "Державний університет «Житомирська політехніка»", "Житомирська політехніка", "Житомирська область", UniversityProfile.Technical, 1.0, 0.45),
        new(1671, "Житомирський державний університет імені Івана Франка", "ЖДУ ім. Івана Франка", "Житомирська область", UniversityProfile.Pedagogical, 1.0, 0.4),
        new(1688, "Прикарпатський національний університет імені Василя Стефаника", "ПНУ ім. Василя Стефаника", "Івано-Франківська область", UniversityProfile.Classical, 1.6, 0.55),
        new(1692, "Івано-Франківський національний технічний університет нафти і газу", "ІФНТУНГ", "Івано-Франківська область", UniversityProfile.Technical, 1.0, 0.5),
        new(1705, "Західноукраїнський національний університет", "ЗУНУ", "Тернопільська область", UniversityProfile.Economic, 1.4, 0.5),
        new(1711, "Тернопільський національний технічний університет імені Івана Пулюя", "ТНТУ ім. Івана Пулюя", "Тернопільська область", UniversityProfile.Technical, 0.9, 0.45),
        new(1726, "Тернопільський національний медичний університет імені І. Я. Горбачевського", "ТНМУ", "Тернопільська область", UniversityProfile.Medical, 0.8, 0.7),
        new(1732, "Чернівецький національний університет імені Юрія Федьковича", "ЧНУ ім. Юрія Федьковича", "Чернівецька область", UniversityProfile.Classical, 1.5, 0.55),
        new(1747, "Буковинський державний медичний університет", "БДМУ", "Чернівецька область", UniversityProfile.Medical, 0.7, 0.65),
        new(1753, "Ужгородський національний університет", "УжНУ", "Закарпатська область", UniversityProfile.Classical, 1.4, 0.5),
        new(1768, "Волинський національний університет імені Лесі Українки", "ВНУ ім. Лесі Українки", "Волинська область", UniversityProfile.Classical, 1.3, 0.5),
        new(1774, "Луцький національний технічний університет", "ЛНТУ", "Волинська область", UniversityProfile.Technical, 0.8, 0.4),
        new(1789, "Національний університет водного господарства та природокористування", "НУВГП", "Рівненська область", UniversityProfile.Technical, 1.0, 0.45),
        new(null, "Рівненський державний гуманітарний університет", "РДГУ", "Рівненська область", UniversityProfile.Pedagogical, 0.8, 0.4),
        new(1796, "Хмельницький національний університет", "ХНУ", "Хмельницька область", UniversityProfile.Technical, 1.1, 0.45),
        new(1810, "Черкаський національний університет імені Богдана Хмельницького", "ЧНУ ім. Б. Хмельницького", "Черкаська область", UniversityProfile.Classical, 1.2, 0.45),
        new(1825, "Центральноукраїнський державний університет імені Володимира Винниченка", "ЦДУ ім. В. Винниченка", "Кіровоградська область", UniversityProfile.Pedagogical, 0.9, 0.4),
        new(1831, "Білоцерківський національний аграрний університет", "БНАУ", "Київська область", UniversityProfile.Agrarian, 0.8, 0.4),
    ];

    /// <summary>How much a university of a profile teaches a group (0 = not at all).</summary>
    public static double ProfileWeight(UniversityProfile profile, SpecialityGroup group) => (profile, group) switch
    {
        (UniversityProfile.Medical, SpecialityGroup.Medicine) => 10,
        (UniversityProfile.Medical, SpecialityGroup.Natural) => 0.5,
        (UniversityProfile.Medical, _) => 0,
        (_, SpecialityGroup.Medicine) => profile == UniversityProfile.Classical ? 0.4 : 0,
        (UniversityProfile.Arts, SpecialityGroup.Arts) => 10,
        (UniversityProfile.Arts, SpecialityGroup.Economics or SpecialityGroup.Engineering) => 0.5,
        (UniversityProfile.Arts, _) => 0,
        (UniversityProfile.Law, SpecialityGroup.Law) => 10,
        (UniversityProfile.Law, SpecialityGroup.International or SpecialityGroup.Social or SpecialityGroup.Economics) => 1,
        (UniversityProfile.Law, _) => 0,
        (UniversityProfile.Technical, SpecialityGroup.InformationTechnology or SpecialityGroup.Engineering) => 4,
        (UniversityProfile.Technical, SpecialityGroup.Mathematics or SpecialityGroup.Natural or SpecialityGroup.Economics) => 1,
        (UniversityProfile.Technical, SpecialityGroup.Law or SpecialityGroup.Social or SpecialityGroup.Humanities or SpecialityGroup.Arts) => 0.3,
        (UniversityProfile.Technical, _) => 0.1,
        (UniversityProfile.Economic, SpecialityGroup.Economics) => 5,
        (UniversityProfile.Economic, SpecialityGroup.Law or SpecialityGroup.International or SpecialityGroup.InformationTechnology) => 1,
        (UniversityProfile.Economic, SpecialityGroup.Social or SpecialityGroup.Humanities) => 0.4,
        (UniversityProfile.Economic, _) => 0,
        (UniversityProfile.Pedagogical, SpecialityGroup.Education or SpecialityGroup.Sport) => 5,
        (UniversityProfile.Pedagogical, SpecialityGroup.Humanities or SpecialityGroup.Social or SpecialityGroup.Arts) => 1.5,
        (UniversityProfile.Pedagogical, SpecialityGroup.Mathematics or SpecialityGroup.Natural or SpecialityGroup.Economics or SpecialityGroup.InformationTechnology) => 0.5,
        (UniversityProfile.Pedagogical, _) => 0.2,
        (UniversityProfile.Agrarian, SpecialityGroup.Agriculture) => 6,
        (UniversityProfile.Agrarian, SpecialityGroup.Natural or SpecialityGroup.Economics or SpecialityGroup.Engineering) => 1.5,
        (UniversityProfile.Agrarian, SpecialityGroup.InformationTechnology or SpecialityGroup.Law) => 0.5,
        (UniversityProfile.Agrarian, _) => 0,
        (UniversityProfile.Classical, SpecialityGroup.Agriculture or SpecialityGroup.Engineering) => 0.3,
        (UniversityProfile.Classical, _) => 2,
        _ => 0,
    };

    /// <summary>How much a person who took a 4th subject leans towards a group (1 = no lean).</summary>
    public static double Affinity(string fourthSubject, SpecialityGroup group) => (fourthSubject, group) switch
    {
        (Subjects.Physics, SpecialityGroup.InformationTechnology or SpecialityGroup.Engineering or SpecialityGroup.Mathematics) => 4,
        (Subjects.Physics, _) => 0.6,
        (Subjects.Biology, SpecialityGroup.Medicine) => 6,
        (Subjects.Biology, SpecialityGroup.Natural or SpecialityGroup.Agriculture or SpecialityGroup.Sport) => 3,
        (Subjects.Biology, SpecialityGroup.Social) => 1.2,
        (Subjects.Biology, _) => 0.5,
        (Subjects.Chemistry, SpecialityGroup.Medicine or SpecialityGroup.Natural) => 5,
        (Subjects.Chemistry, SpecialityGroup.Agriculture or SpecialityGroup.Engineering) => 2,
        (Subjects.Chemistry, _) => 0.4,
        (Subjects.Geography, SpecialityGroup.Economics or SpecialityGroup.Natural or SpecialityGroup.Agriculture or SpecialityGroup.International) => 2.5,
        (Subjects.Geography, _) => 0.8,
        (Subjects.Literature, SpecialityGroup.Humanities or SpecialityGroup.Education or SpecialityGroup.Social or SpecialityGroup.Law) => 3,
        (Subjects.Literature, SpecialityGroup.Arts) => 2,
        (Subjects.Literature, _) => 0.4,
        (Subjects.English or Subjects.German or Subjects.French or Subjects.Spanish, SpecialityGroup.International or SpecialityGroup.Humanities or SpecialityGroup.Law) => 2.5,
        (Subjects.English or Subjects.German or Subjects.French or Subjects.Spanish, SpecialityGroup.InformationTechnology or SpecialityGroup.Economics or SpecialityGroup.Social) => 1.5,
        (Subjects.English or Subjects.German or Subjects.French or Subjects.Spanish, SpecialityGroup.Medicine or SpecialityGroup.Agriculture) => 0.4,
        _ => 1,
    };

    /// <summary>The weights of a group's offers (2025-like coefficients; all 4th-subject options listed, as the rules do).</summary>
    public static (decimal Ukr, decimal Math, decimal Hist, (string Subject, decimal Weight)[] Fourth) Weights(SpecialityGroup group) => group switch
    {
        SpecialityGroup.InformationTechnology => (0.30m, 0.50m, 0.20m, FourthWeights(languages: 0.30m, physics: 0.40m, biology: 0.20m, chemistry: 0.20m, geography: 0.20m, literature: 0.20m)),
        SpecialityGroup.Engineering or SpecialityGroup.Mathematics => (0.35m, 0.50m, 0.20m, FourthWeights(languages: 0.25m, physics: 0.40m, biology: 0.20m, chemistry: 0.35m, geography: 0.20m, literature: 0.20m)),
        SpecialityGroup.Economics => (0.35m, 0.40m, 0.25m, FourthWeights(languages: 0.30m, physics: 0.20m, biology: 0.20m, chemistry: 0.20m, geography: 0.30m, literature: 0.25m)),
        SpecialityGroup.Law or SpecialityGroup.International => (0.45m, 0.40m, 0.40m, FourthWeights(languages: 0.50m, physics: 0.25m, biology: 0.25m, chemistry: 0.25m, geography: 0.30m, literature: 0.30m)),
        SpecialityGroup.Medicine => (0.40m, 0.40m, 0.20m, FourthWeights(languages: 0.30m, physics: 0.30m, biology: 0.50m, chemistry: 0.50m, geography: 0.20m, literature: 0.20m)),
        SpecialityGroup.Natural or SpecialityGroup.Agriculture => (0.35m, 0.40m, 0.25m, FourthWeights(languages: 0.25m, physics: 0.30m, biology: 0.45m, chemistry: 0.40m, geography: 0.35m, literature: 0.20m)),
        SpecialityGroup.Humanities or SpecialityGroup.Social => (0.45m, 0.30m, 0.35m, FourthWeights(languages: 0.40m, physics: 0.20m, biology: 0.20m, chemistry: 0.20m, geography: 0.25m, literature: 0.40m)),
        SpecialityGroup.Education => (0.40m, 0.35m, 0.30m, FourthWeights(languages: 0.35m, physics: 0.25m, biology: 0.30m, chemistry: 0.25m, geography: 0.30m, literature: 0.35m)),
        SpecialityGroup.Sport => (0.35m, 0.35m, 0.30m, FourthWeights(languages: 0.25m, physics: 0.25m, biology: 0.45m, chemistry: 0.25m, geography: 0.25m, literature: 0.25m)),
        SpecialityGroup.Arts => (0.35m, 0.25m, 0.30m, FourthWeights(languages: 0.30m, physics: 0.20m, biology: 0.20m, chemistry: 0.20m, geography: 0.20m, literature: 0.35m)),
        _ => throw new ArgumentOutOfRangeException(nameof(group), group, "No weights for this group."),
    };

    /// <summary>The catalogue's university a published record names: by EDBO id when it has one, else by exact name (as the importer matches).</summary>
    public static CatalogUniversity? FindUniversity(SnapshotUniversity university) => university.EdboId is { } id
        ? Array.Find(Universities, u => u.EdboId == id)
        : Array.Find(Universities, u => u.Name == university.Name);

    /// <summary>The catalogue's speciality of a code, or null.</summary>
    public static CatalogSpeciality? FindSpeciality(string code) => Array.Find(Specialities, s => s.Code == code);

    /// <summary>
    /// A speciality the catalogue lacks, for a pinned offer: its group guessed from the code's letter (the 2025 codes group
    /// fields by letter), ordinary demand, no generated offers of its own.
    /// </summary>
    public static CatalogSpeciality Uncatalogued(SnapshotSpeciality speciality, bool creative)
    {
        var sameLetter = Array.Find(Specialities, s => s.Code[0] == speciality.Code[0]);
        return new CatalogSpeciality(speciality.Code, speciality.Name, sameLetter?.Group ?? SpecialityGroup.Humanities, 1.0, 0, 1.0, [], creative);
    }

    /// <summary>КТ for the creative competition where a speciality has one.</summary>
    public const decimal CreativeWeight = 0.50m;

    /// <summary>Faculty names by group, for offers that name one.</summary>
    public static string Faculty(SpecialityGroup group) => group switch
    {
        SpecialityGroup.Education => "Педагогічний інститут",
        SpecialityGroup.Sport => "Факультет фізичного виховання і спорту",
        SpecialityGroup.Arts => "Факультет мистецтв і дизайну",
        SpecialityGroup.Humanities => "Філологічний факультет",
        SpecialityGroup.Social => "Факультет соціальних наук і журналістики",
        SpecialityGroup.Economics => "Економічний факультет",
        SpecialityGroup.Law => "Юридичний факультет",
        SpecialityGroup.International => "Інститут міжнародних відносин",
        SpecialityGroup.Natural => "Факультет природничих наук",
        SpecialityGroup.Mathematics => "Фізико-математичний факультет",
        SpecialityGroup.InformationTechnology => "Факультет інформаційних технологій",
        SpecialityGroup.Engineering => "Інженерний факультет",
        SpecialityGroup.Agriculture => "Агробіологічний факультет",
        SpecialityGroup.Medicine => "Медичний факультет",
        _ => "Факультет",
    };

    private static (string Subject, decimal Weight)[] FourthWeights(decimal languages, decimal physics, decimal biology, decimal chemistry, decimal geography, decimal literature) =>
    [
        (Subjects.English, languages), (Subjects.German, languages), (Subjects.French, languages), (Subjects.Spanish, languages),
        (Subjects.Biology, biology), (Subjects.Chemistry, chemistry), (Subjects.Physics, physics), (Subjects.Geography, geography),
        (Subjects.Literature, literature),
    ];
}
