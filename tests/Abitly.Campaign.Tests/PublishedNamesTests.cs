namespace Abitly.Campaign.Tests;

public class PublishedNamesTests
{
    [Theory]
    [InlineData("Шевченко Андрій Богданович", "Шевченко А. Б.")]
    [InlineData("  Шевченко   Андрій\tБогданович  ", "Шевченко А. Б.")]
    [InlineData("Шевченко А. Б.", "Шевченко А. Б.")]
    [InlineData("Шевченко А.Б.", "Шевченко А. Б.")]
    [InlineData("Шевченко Андрій", "Шевченко А.")]
    [InlineData("Шевченко", "Шевченко")]
    [InlineData("  Шевченко ", "Шевченко")]
    [InlineData("", "")]
    [InlineData("   ", "")]
    [InlineData("Прокоп'юк Мар'яна Олегівна", "Прокоп'юк М. О.")]
    [InlineData("Дем’яненко Ярослав Ігорович", "Дем’яненко Я. І.")]
    [InlineData("Петренко-Коваль Олена Василівна", "Петренко-Коваль О. В.")]
    [InlineData("Максименко Анна-Марія Миколаївна", "Максименко А.-М. М.")]
    [InlineData("Максименко А.-М. М.", "Максименко А.-М. М.")]
    [InlineData("Алієв Руслан Ахмед огли", "Алієв Р. А. огли")]
    [InlineData("Єременко Їжак Ґанна", "Єременко Ї. Ґ.")]
    [InlineData("Smith John", "Smith J.")]
    public void Published_names_become_the_stored_initials(string published, string stored) =>
        Assert.Equal(stored, PublishedNames.ToInitials(published));

    [Theory]
    [InlineData("Шевченко Андрій Богданович")]
    [InlineData("Петренко-Коваль А.-М. Б.")]
    [InlineData("Прокоп'юк Мар'яна")]
    public void Initials_are_already_stored_form(string published)
    {
        var once = PublishedNames.ToInitials(published);

        Assert.Equal(once, PublishedNames.ToInitials(once));
    }
}
