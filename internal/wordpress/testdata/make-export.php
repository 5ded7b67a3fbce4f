<?php
// Builds the test site in a fresh WordPress and exports it; run by make-export.sh, which sets
// up the database and the Debian configuration this relies on. Writes to $WPX_OUT:
//   export.xml    WordPress's own WXR export of everything (Tools → Export → All content)
//   wpautop.json  inputs and WordPress's wpautop() and shortcode_unautop() outputs, the reference
//                 for the Go port
//   rendered.json post ID → the_content as WordPress renders it (wptexturize off), the
//                 reference for "renders the same"

define('WP_INSTALLING', true);
require '/usr/share/wordpress/wp-load.php';
require_once ABSPATH . 'wp-admin/includes/upgrade.php';
require_once ABSPATH . 'wp-admin/includes/export.php';
require_once ABSPATH . 'wp-admin/includes/media.php';
require_once ABSPATH . 'wp-admin/includes/file.php';
require_once ABSPATH . 'wp-admin/includes/image.php';
require_once ABSPATH . 'wp-admin/includes/post.php';

add_filter('pre_wp_mail', '__return_false'); // no mail from the installer

$out = getenv('WPX_OUT');
$site = 'https://news.example.edu';

function fail($what) {
	fwrite(STDERR, "make-export: $what\n");
	exit(1);
}

global $wp_rewrite;
wp_install('Example University News & Events', 'webteam', 'webteam@example.edu', true, '', 'correct-horse-battery-staple');
wp_set_current_user(1); // an administrator: unfiltered_html, as a web team member has
wp_update_user(['ID' => 1, 'display_name' => 'Web Team', 'first_name' => 'Web', 'last_name' => 'Team', 'nickname' => 'Web Team']);
update_option('blogdescription', 'Neuigkeiten, nouvelles, news — from the campus');
update_option('timezone_string', 'Europe/Zurich');
$wp_rewrite->set_permalink_structure('/%year%/%monthnum%/%postname%/');
update_option('uploads_use_yearmonth_folders', 1);
update_option('default_comment_status', 'open');

// Authors: login => [display name, role, e-mail].
$users = ['webteam' => 1];
foreach ([
	'mmueller' => ['Marie Müller', 'editor', 'Marie', 'Müller'],
	'jchen' => ['Jia Chen', 'author', 'Jia', 'Chen'],
	'sokeefe' => ["Siobhán O'Keefe", 'author', 'Siobhán', "O'Keefe"],
	'rpatel' => ['Ravi Patel', 'contributor', 'Ravi', 'Patel'],
] as $login => [$display, $role, $first, $last]) {
	$id = wp_insert_user(wp_slash([
		'user_login' => $login, 'user_pass' => wp_generate_password(), 'user_email' => "$login@example.edu",
		'display_name' => $display, 'first_name' => $first, 'last_name' => $last, 'nickname' => $display, 'role' => $role,
	]));
	if (is_wp_error($id)) fail($id->get_error_message());
	$users[$login] = $id;
}

// Categories, nested: slug => [name, parent slug, description].
$cats = ['uncategorized' => 1];
foreach ([
	'news' => ['News', '', 'Announcements from the university'],
	'research' => ['Research', 'news', ''],
	'physics' => ['Physics', 'research', 'Department of Physics'],
	'life-sciences' => ['Life Sciences', 'research', ''],
	'campus' => ['Campus', 'news', ''],
	'events' => ['Events', '', 'Lectures, open days, ceremonies'],
	'alumni' => ['Alumni', '', ''],
	'student-life' => ['Student Life', '', ''],
	'etudes-echanges' => ['Études & Échanges', 'student-life', 'Exchange programmes'],
] as $slug => [$name, $parent, $desc]) {
	$t = wp_insert_term($name, 'category', ['slug' => $slug, 'parent' => $parent ? $cats[$parent] : 0, 'description' => $desc]);
	if (is_wp_error($t)) fail($t->get_error_message());
	$cats[$slug] = $t['term_id'];
}

// Small generated pictures: a gradient, a few shapes and a label, a few KB each.
function make_image($path, $label, $seed, $type = 'jpg') {
	$w = 480; $h = 320;
	$im = imagecreatetruecolor($w, $h);
	mt_srand($seed);
	$a = [mt_rand(20, 200), mt_rand(20, 200), mt_rand(20, 200)];
	$b = [mt_rand(60, 255), mt_rand(60, 255), mt_rand(60, 255)];
	for ($y = 0; $y < $h; $y++) {
		$t = $y / ($h - 1);
		$c = imagecolorallocate($im, (int)($a[0] + ($b[0] - $a[0]) * $t), (int)($a[1] + ($b[1] - $a[1]) * $t), (int)($a[2] + ($b[2] - $a[2]) * $t));
		imageline($im, 0, $y, $w - 1, $y, $c);
	}
	for ($i = 0; $i < 4; $i++) {
		$c = imagecolorallocate($im, mt_rand(0, 255), mt_rand(0, 255), mt_rand(0, 255));
		imagefilledellipse($im, mt_rand(40, $w - 40), mt_rand(40, $h - 40), mt_rand(30, 140), mt_rand(30, 140), $c);
	}
	$white = imagecolorallocate($im, 255, 255, 255);
	imagefilledrectangle($im, 0, $h - 34, $w - 1, $h - 1, imagecolorallocate($im, 20, 20, 20));
	imagestring($im, 5, 12, $h - 26, $label, $white);
	if ($type === 'png') {
		imagetruecolortopalette($im, false, 32);
		imagepng($im, $path, 9);
	} elseif ($type === 'gif') {
		imagetruecolortopalette($im, false, 32);
		imagegif($im, $path);
	} else {
		imagejpeg($im, $path, 60);
	}
	imagedestroy($im);
}

// Uploads a generated picture as an attachment of $parent (0: unattached), the way the media
// library does: into the parent's year/month folder, with its resized copies and metadata.
function upload($file, $label, $parent, $alt, $caption = '', $date = '') {
	static $seed = 1;
	$tmp = tempnam(sys_get_temp_dir(), 'img');
	make_image($tmp, $label, $seed++, pathinfo($file, PATHINFO_EXTENSION));
	$data = ['post_title' => $label, 'post_excerpt' => $caption];
	if ($date) {
		$data['post_date'] = $date;
	} elseif ($parent) {
		$data['post_date'] = get_post($parent)->post_date;
	}
	$id = media_handle_sideload(['name' => $file, 'tmp_name' => $tmp], $parent, null, $data);
	if (is_wp_error($id)) fail("$file: " . $id->get_error_message());
	if ($alt !== '') update_post_meta($id, '_wp_attachment_image_alt', $alt);
	return $id;
}

function src($att, $size = 'full') {
	return wp_get_attachment_image_src($att, $size)[0];
}

// An image as the classic editor inserts it, optionally linked and captioned.
function classic_img($att, $size, $align = 'alignnone', $link = 'none', $caption = '') {
	[$url, $w, $h] = wp_get_attachment_image_src($att, $size);
	$alt = esc_attr(get_post_meta($att, '_wp_attachment_image_alt', true));
	$img = "<img class=\"$align size-$size wp-image-$att\" src=\"$url\" alt=\"$alt\" width=\"$w\" height=\"$h\" />";
	if ($caption !== '') {
		$img = str_replace("$align ", '', $img);
	}
	if ($link === 'file') {
		$img = '<a href="' . wp_get_attachment_url($att) . "\">$img</a>";
	} elseif ($link === 'attachment') {
		$img = '<a href="' . get_attachment_link($att) . "\" rel=\"attachment wp-att-$att\">$img</a>";
	}
	if ($caption !== '') {
		return "[caption id=\"attachment_$att\" align=\"$align\" width=\"$w\"]$img $caption" . '[/caption]';
	}
	return $img;
}

// An image block as the block editor (6.1) serializes it.
function block_img($att, $size, $caption = '', $link = 'none') {
	$url = src($att, $size);
	$alt = esc_attr(get_post_meta($att, '_wp_attachment_image_alt', true));
	$img = "<img src=\"$url\" alt=\"$alt\" class=\"wp-image-$att\"/>";
	$attrs = "{\"id\":$att,\"sizeSlug\":\"$size\",\"linkDestination\":\"$link\"}";
	if ($link === 'media') {
		$img = '<a href="' . wp_get_attachment_url($att) . "\">$img</a>";
	} elseif ($link === 'attachment') {
		$img = '<a href="' . get_attachment_link($att) . "\">$img</a>";
	}
	$cap = $caption !== '' ? "<figcaption class=\"wp-element-caption\">$caption</figcaption>" : '';
	return "<!-- wp:image $attrs -->\n<figure class=\"wp-block-image size-$size\">$img$cap</figure>\n<!-- /wp:image -->";
}

function para($html) {
	return "<!-- wp:paragraph -->\n<p>$html</p>\n<!-- /wp:paragraph -->";
}

function heading($text, $level = 2) {
	$attrs = $level === 2 ? '' : " {\"level\":$level}";
	return "<!-- wp:heading$attrs -->\n<h$level>$text</h$level>\n<!-- /wp:heading -->";
}

function block_list(array $items, $ordered = false, $start = 0) {
	$tag = $ordered ? 'ol' : 'ul';
	$attrs = [];
	if ($ordered) $attrs[] = '"ordered":true';
	if ($start) $attrs[] = "\"start\":$start";
	$a = $attrs ? ' {' . implode(',', $attrs) . '}' : '';
	$startAttr = $start ? " start=\"$start\"" : '';
	$lis = [];
	foreach ($items as $it) {
		$lis[] = "<!-- wp:list-item -->\n<li>$it</li>\n<!-- /wp:list-item -->";
	}
	return "<!-- wp:list$a -->\n<$tag$startAttr>" . implode("\n\n", $lis) . "</$tag>\n<!-- /wp:list -->";
}

function blocks(...$b) {
	return implode("\n\n", $b);
}

// Creates a post; $p uses wp_insert_post's keys, with 'author' a login, 'cats' and 'tags' lists.
function post(array $p) {
	global $users, $cats;
	$arr = [
		'post_type' => $p['type'] ?? 'post',
		'post_status' => $p['status'] ?? 'publish',
		'post_title' => $p['title'],
		'post_name' => $p['slug'] ?? '',
		'post_author' => $users[$p['author'] ?? 'webteam'],
		'post_date' => $p['date'] ?? '',
		'post_content' => $p['content'] ?? '',
		'post_excerpt' => $p['excerpt'] ?? '',
		'post_password' => $p['password'] ?? '',
		'post_parent' => $p['parent'] ?? 0,
		'menu_order' => $p['menu_order'] ?? 0,
		'comment_status' => $p['comments'] ?? 'open',
	];
	if (isset($p['cats'])) $arr['post_category'] = array_map(fn($c) => $cats[$c], $p['cats']);
	if (isset($p['tags'])) $arr['tags_input'] = $p['tags'];
	$id = wp_insert_post(wp_slash($arr), true);
	if (is_wp_error($id)) fail($p['title'] . ': ' . $id->get_error_message());
	return $id;
}

function set_content($id, $content) {
	$r = wp_update_post(wp_slash(['ID' => $id, 'post_content' => $content]), true);
	if (is_wp_error($r)) fail($r->get_error_message());
}

// Modification dates the way years of editing leave them (wp_update_post stamps "now").
$modified = [];
function modified($id, $local) {
	global $modified;
	$modified[$id] = $local;
}

// WordPress's own first post, page and privacy page stay, dated back to the site's start.
global $wpdb;
$wpdb->update($wpdb->posts, ['post_date' => '2018-09-03 09:00:00', 'post_date_gmt' => get_gmt_from_date('2018-09-03 09:00:00')], ['ID' => 1]);
$wpdb->update($wpdb->posts, ['post_date' => '2018-09-03 09:05:00', 'post_date_gmt' => get_gmt_from_date('2018-09-03 09:05:00')], ['ID' => 2]);
$wpdb->update($wpdb->posts, ['post_date' => '2018-09-03 09:00:00', 'post_date_gmt' => '0000-00-00 00:00:00'], ['ID' => 3]);
$wpdb->update($wpdb->comments, ['comment_date' => '2018-09-03 09:00:00', 'comment_date_gmt' => get_gmt_from_date('2018-09-03 09:00:00')], ['comment_ID' => 1]);
modified(1, '2018-09-03 09:00:00');
modified(2, '2018-09-03 09:05:00');
modified(3, '2018-09-03 09:00:00');

// ---- Classic editor posts (2019–2021): no <p>, blank lines between paragraphs. ----

$p = post(['title' => 'Physics department unveils new laser lab', 'slug' => 'physics-laser-lab', 'author' => 'jchen',
	'date' => '2019-02-14 10:30:00', 'cats' => ['physics', 'research'], 'tags' => ['lab', 'Physics'],
	'excerpt' => 'A €2.4 million laser laboratory opens in the physics building.']);
$lab = upload('laser-lab.jpg', 'Laser lab', $p, 'A green laser beam crossing an optical table', 'The optical table in room P-104');
set_post_thumbnail($p, $lab);
set_content($p, "The Department of Physics opened its new laser laboratory on Thursday. The lab cost €2.4 million and took <strong>two years</strong> to build.

" . classic_img($lab, 'medium', 'aligncenter', 'file', 'The new laser lab in the physics building') . "

<!--more-->
\"We can now run experiments that needed a trip abroad before,\" says Prof. Anna Weber.
Her group studies ultrafast processes in <em>semiconductors</em>.

The lab is open to visitors on the first Monday of each month.");
modified($p, '2019-02-15 08:12:00');

$p = post(['title' => 'Spring open day draws record crowds', 'slug' => 'spring-open-day-record', 'author' => 'mmueller',
	'date' => '2019-05-04 16:00:00', 'cats' => ['campus', 'events'], 'tags' => ['open day']]);
$g1 = upload('open-day-1.jpg', 'Open day: the main hall', $p, 'Visitors in the main hall', 'The main hall at noon');
$g2 = upload('open-day-2.jpg', 'Open day: chemistry show', $p, 'A chemistry demonstration', 'Colourful chemistry');
$g3 = upload('open-day-3.jpg', 'Open day: campus tour', $p, 'Students guiding a tour', '');
set_post_thumbnail($p, $g1);
set_content($p, "More than 6,000 visitors came to the spring open day, a new record.

[gallery ids=\"$g1,$g2,$g3\" columns=\"3\" link=\"file\"]

Thanks to the 300 students & staff who volunteered!");
modified($p, '2019-05-06 09:00:00');
$open_day = $p;
$c1 = wp_insert_comment(['comment_post_ID' => $p, 'comment_author' => 'Lena', 'comment_author_email' => 'lena@example.org', 'comment_content' => 'Great day, my daughter loved the chemistry show.', 'comment_date' => '2019-05-04 19:02:00', 'comment_date_gmt' => get_gmt_from_date('2019-05-04 19:02:00'), 'comment_approved' => 1]);
wp_insert_comment(['comment_post_ID' => $p, 'comment_author' => 'Marie Müller', 'user_id' => $users['mmueller'], 'comment_parent' => $c1, 'comment_content' => 'Thank you, Lena!', 'comment_date' => '2019-05-05 08:00:00', 'comment_date_gmt' => get_gmt_from_date('2019-05-05 08:00:00'), 'comment_approved' => 1]);

$p = post(['title' => 'Welcome week: what to know', 'slug' => 'welcome-week-guide', 'author' => 'sokeefe',
	'date' => '2019-09-09 08:15:00', 'cats' => ['student-life'], 'tags' => ['welcome week'],
	'content' => "Welcome to all new students! Here is what you need this week.
<h2>Where to go</h2>
Student Service Centre
Main Building, room 0.12
Open 8:00–18:00

<strong>Bring:</strong>
<ul>
 	<li>your admission letter</li>
 	<li>a photo ID
<ul>
 	<li>passport, or</li>
 	<li>national identity card</li>
</ul>
</li>
 	<li>a passport photo</li>
</ul>
&nbsp;

Questions? Write to <a href=\"mailto:welcome@example.edu\">welcome@example.edu</a>."]);
modified($p, '2019-09-09 08:15:00');

$p = post(['title' => 'Library extends opening hours', 'slug' => 'library-extends-opening-hours', 'author' => 'jchen',
	'date' => '2019-11-20 12:00:00', 'cats' => ['campus'], 'tags' => ['library'],
	'content' => "From December the main library is open until midnight.
<h3>New hours</h3>
<pre>Mon–Fri   08:00 – 24:00

Sat       10:00 – 20:00
Sun       closed</pre>
The old loan terminal printed this for overdue items:
<pre><code>if (days[item[0]]>14) {
    fine = 0.50 &lt;&lt; weeks;
}</code></pre>
<blockquote>We listened to the students' council. – The head librarian</blockquote>
More at the library's <a href=\"https://news.example.edu/2019/02/physics-laser-lab/\">web site</a>."]);
modified($p, '2019-11-21 10:00:00');

$p = post(['title' => 'Campus closes over COVID-19', 'slug' => 'campus-closes-covid-19', 'author' => 'webteam',
	'date' => '2020-03-16 18:45:00', 'cats' => ['news'], 'tags' => ['COVID-19'],
	'content' => "All buildings close on Tuesday until further notice.
<table>
<thead>
<tr>
<th>Service</th>
<th>Status</th>
</tr>
</thead>
<tbody>
<tr>
<td>Library</td>
<td>closed; loans extended</td>
</tr>
<tr>
<td>Canteen</td>
<td>take-away only</td>
</tr>
</tbody>
</table>
<hr />
Updates follow on this page."]);
stick_post($p);
modified($p, '2020-05-11 09:30:00');

$p = post(['title' => 'Teaching moves online', 'slug' => 'teaching-moves-online', 'author' => 'mmueller',
	'date' => '2020-03-30 09:00:00', 'cats' => ['news', 'campus'], 'tags' => ['COVID-19', 'teaching'],
	'content' => "All lectures move online from today. Watch the rector's message:

[embed]https://www.youtube.com/watch?v=aqz-KE-bpKQ[/embed]

Or the guide for lecturers:

https://vimeo.com/76979871

Exams will be announced later."]);
modified($p, '2020-03-30 09:00:00');

$p = post(['title' => 'Études sans frontières: a semester in Zürich', 'slug' => 'etudes-sans-frontieres-zurich', 'author' => 'sokeefe',
	'date' => '2020-06-12 14:20:00', 'cats' => ['etudes-echanges'], 'tags' => ['exchange', 'Zürich'],
	'excerpt' => 'Five students, four languages, one semester.',
	'content' => "“Grüezi!” — that was the first word Zoë learned. 🎓

Our exchange programme with Zürich sent five students abroad this spring: they studied in German, French and English, and one of them took a course in 中文.

Ana wrote from Genève: <em>« C’est formidable ! »</em>
Dates: 15.02.–30.06.2020"]);
modified($p, '2020-06-12 14:20:00');

$p = post(['title' => 'Nobel laureate gives public lecture', 'slug' => 'nobel-laureate-visit', 'author' => 'jchen',
	'date' => '2020-10-09 11:00:00', 'cats' => ['physics', 'events'], 'tags' => ['Nobel', 'lecture'],
	'excerpt' => 'A full auditorium for the 2019 laureate.']);
$nob = upload('nobel-lecture.jpg', 'Nobel lecture', $p, 'The laureate at the lectern', 'In the main auditorium');
set_post_thumbnail($p, $nob);
set_content($p, classic_img($nob, 'medium', 'alignleft', 'none', 'The laureate in the <em>main auditorium</em>') . "The auditorium was full an hour before the lecture began.

" . classic_img($nob, 'thumbnail', 'alignright') . "The lecture covered the discovery of exoplanets.");
modified($p, '2020-10-10 12:00:00');
$wpdb->insert($wpdb->comments, ['comment_post_ID' => $p, 'comment_author' => 'Physics Blog', 'comment_author_url' => 'https://blog.example.org/nobel', 'comment_content' => '[…] the lecture at Example University […]', 'comment_type' => 'pingback', 'comment_date' => '2020-10-11 07:00:00', 'comment_date_gmt' => '2020-10-11 05:00:00', 'comment_approved' => '1']);

$p = post(['title' => 'Virtual lecture series starts', 'slug' => 'virtual-lecture-series', 'author' => 'mmueller',
	'date' => '2021-01-22 10:00:00', 'cats' => ['events'], 'tags' => ['lecture'],
	'content' => "Every Wednesday at 18:00, online. The calendar:

[event_calendar category=\"lectures\" limit=\"5\"]

Register here:

[contact-form-7 id=\"12\" title=\"Registration\"]

[su_button url=\"https://events.example.edu/register\" style=\"flat\"]Register now[/su_button]

(Editors: use [[gallery]] to show pictures, and [su_button] for buttons.)"]);
modified($p, '2021-01-22 10:00:00');

$p = post(['title' => 'Robotics team wins national title', 'slug' => 'robotics-team-wins', 'author' => 'webteam',
	'date' => '2021-03-08 13:00:00', 'cats' => ['research'], 'tags' => ['robotics', 'students']]);
$rob = upload('robotics-team.jpg', 'Robotics team', $p, '', '');
set_post_thumbnail($p, $rob);
set_content($p, "Our robotics team won the national championship in Bern.

<iframe src=\"https://www.youtube.com/embed/aqz-KE-bpKQ\" width=\"560\" height=\"315\" frameborder=\"0\" allowfullscreen=\"allowfullscreen\"></iframe>

<a href=\"#\" onclick=\"alert('tracked');return false;\">See the results</a> or <a href=\"javascript:alert(1)\">this one</a>.
<script>document.write('<b>injected</b>');</script>
<span style=\"color: #ff0000;\">Congratulations</span> to the whole <font color=\"blue\">team</font>!
<img src=\"" . src($rob) . "\" onerror=\"alert(2)\" alt=\"\" />");
modified($p, '2021-03-08 13:00:00');

$p = post(['title' => 'Alumni reunion 2021', 'slug' => 'alumni-reunion-2021', 'author' => 'sokeefe',
	'date' => '2021-06-30 17:00:00', 'cats' => ['alumni'], 'tags' => ['校友', 'reunion']]);
$alu = upload('alumni.gif', 'Alumni', $p, 'Alumni on the terrace', '');
set_content($p, "Two hundred alumni came back for the reunion.

[caption id=\"attachment_$alu\" align=\"aligncenter\" width=\"300\" caption=\"Class of 1991 on the terrace\"]<img class=\"size-medium wp-image-$alu\" src=\"" . src($alu, 'medium') . "\" alt=\"Alumni on the terrace\" width=\"300\" height=\"200\" />[/caption]

A photo sent in by a guest:

<img src=\"https://photos.example.org/reunion/2021/group.jpg\" alt=\"Group photo\" width=\"640\" height=\"480\" />

See you in 2026!");
modified($p, '2021-07-01 09:00:00');

// ---- Block editor posts (2021–2025). ----

$p = post(['title' => 'New semester, new buildings', 'slug' => 'new-semester-new-buildings', 'author' => 'mmueller',
	'date' => '2021-09-13 08:00:00', 'cats' => ['campus'], 'tags' => ['buildings']]);
$bld = upload('new-building.jpg', 'New building', $p, 'The new teaching building', 'North campus');
set_post_thumbnail($p, $bld);
set_content($p, blocks(
	para('The autumn semester starts with two new buildings on the north campus.'),
	block_img($bld, 'large', 'The new teaching building on the <a href="https://news.example.edu/campus-map/">north campus</a>'),
	heading('What is new'),
	block_list(['A lecture hall for 600', 'Forty <strong>seminar rooms</strong>', 'A café open until 20:00']),
	para('The old Building C closes for renovation.')
));
modified($p, '2021-09-14 10:00:00');

$p = post(['title' => 'Interview: the quantum physicist who loves chess', 'slug' => 'interview-quantum-physicist', 'author' => 'jchen',
	'date' => '2021-11-02 09:30:00', 'cats' => ['physics'], 'tags' => ['interview', 'quantum'],
	'excerpt' => 'Prof. Ngozi Adeyemi on qubits, chess and teaching.',
	'content' => blocks(
		para('Prof. Ngozi Adeyemi joined the department in 2020. We met her in her lab.'),
		heading('On research'),
		"<!-- wp:quote -->\n<blockquote class=\"wp-block-quote\"><!-- wp:paragraph -->\n<p>A qubit is like a coin that is still spinning.</p>\n<!-- /wp:paragraph --><cite>Ngozi Adeyemi</cite></blockquote>\n<!-- /wp:quote -->",
		heading('On teaching', 3),
		para('Her course has 10<sup>3</sup> students a year; see the <a href="https://physics.example.edu/courses/qm1">course page</a>.'),
		"<!-- wp:pullquote -->\n<figure class=\"wp-block-pullquote\"><blockquote><p>Chess taught me patience.</p><cite>Ngozi Adeyemi</cite></blockquote></figure>\n<!-- /wp:pullquote -->"
	)]);
modified($p, '2021-11-02 09:30:00');

$p = post(['title' => 'Sustainability report 2022', 'slug' => 'sustainability-report-2022', 'author' => 'sokeefe',
	'date' => '2022-02-10 10:00:00', 'cats' => ['news'], 'tags' => ['sustainability'],
	'content' => blocks(
		para('The university cut its CO<sub>2</sub> emissions by 18 % since 2019. The three steps that mattered most:'),
		block_list(['Heat pumps in six buildings', 'Solar panels on every roof', 'Fewer flights'], true, 3),
		"<!-- wp:table -->\n<figure class=\"wp-block-table\"><table><thead><tr><th>Year</th><th>Tonnes CO<sub>2</sub></th></tr></thead><tbody><tr><td>2019</td><td>12,400</td></tr><tr><td>2021</td><td>10,170</td></tr></tbody></table><figcaption class=\"wp-element-caption\">Emissions per year</figcaption></figure>\n<!-- /wp:table -->",
		"<!-- wp:separator -->\n<hr class=\"wp-block-separator has-alpha-channel-opacity\"/>\n<!-- /wp:separator -->",
		para('The full report is available as a PDF from the sustainability office.')
	)]);
modified($p, '2022-02-11 16:00:00');

$p = post(['title' => 'Life sciences lab wins €5 million grant', 'slug' => 'life-sciences-grant', 'author' => 'jchen',
	'date' => '2022-04-25 15:00:00', 'cats' => ['life-sciences'], 'tags' => ['funding']]);
$grant = upload('grant-lab.png', 'Grant lab', $p, 'Pipettes in the life sciences lab', '');
set_post_thumbnail($p, $grant);
set_content($p, blocks(
	para('The European Research Council funds the lab of Dr. Tomás Ruiz for five years.'),
	block_img($grant, 'medium'),
	"<!-- wp:embed {\"url\":\"https://www.youtube.com/watch?v=aqz-KE-bpKQ\",\"type\":\"video\",\"providerNameSlug\":\"youtube\",\"responsive\":true,\"className\":\"wp-embed-aspect-16-9 wp-has-aspect-ratio\"} -->\n<figure class=\"wp-block-embed is-type-video is-provider-youtube wp-block-embed-youtube wp-embed-aspect-16-9 wp-has-aspect-ratio\"><div class=\"wp-block-embed__wrapper\">\nhttps://www.youtube.com/watch?v=aqz-KE-bpKQ\n</div><figcaption class=\"wp-element-caption\">Dr. Ruiz explains the project</figcaption></figure>\n<!-- /wp:embed -->"
));
modified($p, '2022-04-25 15:00:00');

$p = post(['title' => 'Summer school in photos', 'slug' => 'summer-school-in-photos', 'author' => 'mmueller',
	'date' => '2022-07-19 12:00:00', 'cats' => ['student-life', 'events'], 'tags' => ['summer school']]);
$s1 = upload('summer-1.jpg', 'Summer school 1', $p, 'Students at the lake', '');
$s2 = upload('summer-2.jpg', 'Summer school 2', $p, 'A lecture outdoors', '');
$s3 = upload('summer-3.jpg', 'Summer school 3', $p, 'The closing dinner', '');
set_content($p, blocks(
	para('Eighty students from 23 countries spent July with us.'),
	"<!-- wp:gallery {\"linkTo\":\"none\"} -->\n<figure class=\"wp-block-gallery has-nested-images columns-default is-cropped\">" .
	block_img($s1, 'large') . "\n\n" . block_img($s2, 'large', 'Lectures moved <em>outside</em>') . "\n\n" . block_img($s3, 'large') .
	"<figcaption class=\"blocks-gallery-caption wp-element-caption\">Summer school 2022</figcaption></figure>\n<!-- /wp:gallery -->"
));
modified($p, '2022-07-20 09:00:00');

$p = post(['title' => 'Student start-up wins innovation prize', 'slug' => 'student-startup-prize', 'author' => 'sokeefe',
	'date' => '2022-10-03 09:00:00', 'cats' => ['news'], 'tags' => ['start-ups', 'students'],
	'content' => blocks(
		para('Three computer science students won this year\'s innovation prize with an app that finds free seats in the library.'),
		"<!-- wp:columns -->\n<div class=\"wp-block-columns\"><!-- wp:column -->\n<div class=\"wp-block-column\">" . para('<strong>The team:</strong> Lea, Omar and Yuki.') . "</div>\n<!-- /wp:column -->\n\n<!-- wp:column -->\n<div class=\"wp-block-column\">" . para('<strong>The prize:</strong> CHF 20,000 and a year of coaching.') . "</div>\n<!-- /wp:column --></div>\n<!-- /wp:columns -->",
		"<!-- wp:buttons -->\n<div class=\"wp-block-buttons\"><!-- wp:button -->\n<div class=\"wp-block-button\"><a class=\"wp-block-button__link wp-element-button\" href=\"https://innovation.example.edu/apply\">Apply for next year</a></div>\n<!-- /wp:button --></div>\n<!-- /wp:buttons -->",
		"<!-- wp:html -->\n<div class=\"map\"><iframe width=\"425\" height=\"350\" src=\"https://www.openstreetmap.org/export/embed.html?bbox=8.54,47.37,8.56,47.38&amp;layer=mapnik\" style=\"border: 1px solid black\"></iframe><br/><small>Where the team works</small></div>\n<!-- /wp:html -->"
	)]);
modified($p, '2022-10-03 09:00:00');

$reusable = post(['type' => 'wp_block', 'title' => 'Newsletter box', 'slug' => 'newsletter-box',
	'date' => '2022-12-01 10:00:00', 'content' => para('Subscribe to our newsletter: <a href="https://news.example.edu/newsletter/">news.example.edu/newsletter</a>')]);
modified($reusable, '2022-12-01 10:00:00');

$p = post(['title' => 'Research funding round opens', 'slug' => 'research-funding-round', 'author' => 'jchen',
	'date' => '2023-01-16 11:00:00', 'cats' => ['research'], 'tags' => ['funding'],
	'content' => blocks(
		para('The internal research fund accepts applications until 31 March.'),
		"<!-- wp:shortcode -->\n[contact-form-7 id=\"34\" title=\"Funding enquiry\"]\n<!-- /wp:shortcode -->",
		heading('Recent news'),
		'<!-- wp:latest-posts {"postsToShow":3} /-->',
		"<!-- wp:block {\"ref\":$reusable} /-->"
	)]);
modified($p, '2023-01-16 11:00:00');

$p = post(['title' => 'Campus map updated', 'slug' => 'campus-map-update', 'author' => 'webteam',
	'date' => '2023-05-08 10:00:00', 'cats' => ['campus'], 'tags' => ['maps']]);
$map = upload('campus-map.jpg', 'Campus map', $p, 'Map of the campus with the new buildings', 'The 2023 campus map');
set_post_thumbnail($p, $map);
set_content($p, blocks(
	para('The campus map now shows the north campus buildings.'),
	block_img($map, 'full', 'The 2023 campus map', 'media')
));
modified($p, '2023-05-08 10:00:00');

$p = post(['title' => 'Welcome, class of 2023', 'slug' => 'welcome-2023', 'author' => 'mmueller',
	'date' => '2023-09-11 08:00:00', 'cats' => ['student-life'], 'tags' => ['welcome week'],
	'content' => blocks(
		para('Log in to the student portal for the first time with:'),
		"<!-- wp:code -->\n<pre class=\"wp-block-code\"><code>ssh student@portal.example.edu\npasswd   # choose your own password</code></pre>\n<!-- /wp:code -->",
		para('Opening hours of the service desk:'),
		"<!-- wp:preformatted -->\n<pre class=\"wp-block-preformatted\">Mon–Thu  09:00–16:00\nFri      09:00–12:00</pre>\n<!-- /wp:preformatted -->",
		"<!-- wp:paragraph {\"align\":\"center\",\"className\":\"is-style-notice\"} -->\n<p class=\"has-text-align-center is-style-notice\"><mark style=\"background-color:#ffe066\" class=\"has-inline-color\">Don’t miss</mark> the welcome party on Friday!</p>\n<!-- /wp:paragraph -->"
	)]);
modified($p, '2023-09-11 08:00:00');

$p = post(['title' => 'A lecture on leap day', 'slug' => 'leap-day-lecture', 'author' => 'jchen',
	'date' => '2024-02-29 18:00:00', 'cats' => ['events'], 'tags' => ['lecture'],
	'content' => blocks(para('Why do we have leap years? Prof. Weber explained the calendar on 29 February.'), para('The lecture was recorded.'))]);
modified($p, '2024-02-29 18:00:00');

$p = post(['title' => 'Library opens its digital archive', 'slug' => 'library-digital-archive', 'author' => 'sokeefe',
	'date' => '2024-06-03 10:00:00', 'cats' => ['campus'], 'tags' => ['library'],
	'content' => blocks(
		para('Search the archive with *wildcards* and _underscores_: file names like report_2023_final.pdf work too.'),
		para('# is not a heading here, and 1. is not a list. Backslashes \\ stay, and so do &lt;tags&gt; written as text &amp; ampersands.'),
		para('[1] The archive holds 40,000 items; see [the catalogue] for more.')
	)]);
modified($p, '2024-06-04 08:00:00');

$p = post(['title' => 'Physics olympiad 2024', 'slug' => 'physics-olympiad-2024', 'author' => 'jchen',
	'date' => '2024-11-11 09:00:00', 'cats' => ['physics'], 'tags' => ['students']]);
$oly = upload('olympiad.jpg', 'Olympiad', $p, 'The winners with their medals', '');
set_content($p, blocks(
	para('Four of our first-year students won medals.'),
	block_img($oly, 'thumbnail', '', 'attachment')
));
modified($p, '2024-11-11 09:00:00');

$p = post(['title' => 'New rector takes office', 'slug' => 'new-rector-2025', 'author' => 'webteam',
	'date' => '2025-03-03 08:00:00', 'cats' => ['news'], 'tags' => ['leadership'],
	'excerpt' => 'Prof. Elena Rossi is the university\'s first rector from the life sciences.']);
$rec = upload('rector.jpg', 'Rector', $p, 'Prof. Elena Rossi', '');
set_post_thumbnail($p, $rec);
set_content($p, blocks(
	para('Prof. Elena Rossi took office on 1 March.'),
	"<!-- wp:quote -->\n<blockquote class=\"wp-block-quote\"><!-- wp:paragraph -->\n<p>A university is its people.</p>\n<!-- /wp:paragraph --></blockquote>\n<!-- /wp:quote -->"
));
modified($p, '2025-03-05 10:00:00');

$p = post(['title' => 'Sustainability week 2025', 'slug' => 'campus-sustainability-week-2025', 'author' => 'sokeefe',
	'date' => '2025-06-20 10:00:00', 'cats' => ['campus', 'events'], 'tags' => ['sustainability'],
	'content' => blocks(
		para('The programme:'),
		"<!-- wp:list -->\n<ul><!-- wp:list-item -->\n<li>Monday: repair café<!-- wp:list -->\n<ul><!-- wp:list-item -->\n<li>bikes</li>\n<!-- /wp:list-item -->\n\n<!-- wp:list-item -->\n<li>laptops</li>\n<!-- /wp:list-item --></ul>\n<!-- /wp:list --></li>\n<!-- /wp:list-item -->\n\n<!-- wp:list-item -->\n<li>Tuesday: plant swap</li>\n<!-- /wp:list-item --></ul>\n<!-- /wp:list -->"
	)]);
modified($p, '2025-06-20 10:00:00');

// ---- Other statuses. ----

$p = post(['title' => 'Budget notes (draft)', 'slug' => 'draft-budget-notes', 'author' => 'mmueller', 'status' => 'draft',
	'date' => '2025-07-01 09:00:00', 'cats' => ['news'],
	'content' => "First line of the notes.
Second line.

Next paragraph."]);
modified($p, '2025-07-02 11:00:00');

$p = post(['title' => 'Open day 2025', 'slug' => '', 'author' => 'sokeefe', 'status' => 'draft', 'cats' => ['events'],
	'date' => '2025-07-10 15:00:00', 'content' => para('Save the date: 18 October.')]);
modified($p, '2025-07-10 15:00:00');

$p = post(['title' => 'Chess club looks for members', 'slug' => 'pending-chess-club', 'author' => 'rpatel', 'status' => 'pending',
	'date' => '2025-07-15 12:00:00', 'cats' => ['student-life'], 'tags' => ['clubs'],
	'content' => "The chess club meets on Tuesdays.\nEveryone is welcome."]);
modified($p, '2025-07-15 12:00:00');

$p = post(['title' => 'Hackathon: call for teams', 'slug' => 'pending-hackathon', 'author' => 'rpatel', 'status' => 'pending',
	'date' => '2025-07-16 12:00:00', 'cats' => ['events'], 'content' => para('Teams of three, 48 hours.')]);
modified($p, '2025-07-16 12:00:00');

$p = post(['title' => 'Staff meeting notes', 'slug' => 'private-staff-meeting-notes', 'author' => 'webteam', 'status' => 'private',
	'date' => '2024-01-15 14:00:00', 'cats' => ['news'], 'content' => "For staff only.\n\nThe budget is approved."]);
modified($p, '2024-01-15 14:00:00');

$p = post(['title' => 'Graduation ceremony 2031', 'slug' => 'future-graduation-2031', 'author' => 'mmueller',
	'date' => '2031-06-27 10:00:00', 'cats' => ['events'], 'tags' => ['graduation']]);
$grad = upload('graduation.jpg', 'Graduation', $p, 'Caps in the air', '', '2025-07-20 10:00:00');
set_post_thumbnail($p, $grad);
set_content($p, blocks(para('The ceremony takes place in the main auditorium.')));
modified($p, '2025-07-20 10:00:00');

$p = post(['title' => 'Open day 2032', 'slug' => 'future-open-day-2032', 'author' => 'jchen',
	'date' => '2032-04-24 09:00:00', 'cats' => ['events'], 'tags' => ['open day'],
	'content' => "Doors open at 9:00.\n\nSee you there!"]);
modified($p, '2025-07-21 10:00:00');

$p = post(['title' => 'Embargoed: paper in Nature', 'slug' => 'press-embargo-nature-paper', 'author' => 'jchen',
	'date' => '2025-05-14 17:00:00', 'cats' => ['research'], 'password' => 'press2025',
	'content' => "The paper appears on Wednesday at 17:00 CET.\n\nDo not publish before."]);
modified($p, '2025-05-14 17:00:00');

$p = post(['title' => 'Duplicate: open day', 'slug' => 'duplicate-open-day', 'author' => 'mmueller',
	'date' => '2019-05-04 16:30:00', 'cats' => ['events'], 'content' => 'Posted twice by mistake.']);
wp_trash_post($p);
modified($p, '2019-05-04 16:35:00');

// ---- Pages. ----

$about = post(['type' => 'page', 'title' => 'About the newsroom', 'slug' => 'about', 'author' => 'webteam',
	'date' => '2018-09-04 10:00:00', 'comments' => 'closed']);
$logo = upload('university-logo.png', 'University logo', 0, 'Example University', '', '2018-09-04 10:00:00');
set_content($about, "The newsroom is run by the communications office.

<img class=\"aligncenter size-full wp-image-$logo\" src=\"" . src($logo) . "\" alt=\"Example University\" width=\"480\" height=\"320\" />

Send news to <a href=\"mailto:news@example.edu\">news@example.edu</a>.");
modified($about, '2021-01-10 10:00:00');
$contact = post(['type' => 'page', 'title' => 'Contact', 'slug' => 'contact', 'author' => 'webteam',
	'date' => '2018-09-04 10:10:00', 'comments' => 'closed', 'content' => para('Communications office, Main Building, room 1.01.')]);
modified($contact, '2018-09-04 10:10:00');
$press = post(['type' => 'page', 'title' => 'Press contacts', 'slug' => 'press', 'author' => 'mmueller', 'parent' => $contact,
	'date' => '2019-01-07 10:00:00', 'comments' => 'closed', 'content' => para('Marie Müller, +41 44 000 00 00')]);
modified($press, '2019-01-07 10:00:00');

// ---- A menu (nav_menu_item posts and a nav_menu term in the export). ----

$menu = wp_create_nav_menu('Main menu');
wp_update_nav_menu_item($menu, 0, ['menu-item-title' => 'About', 'menu-item-object' => 'page', 'menu-item-object-id' => $about, 'menu-item-type' => 'post_type', 'menu-item-status' => 'publish']);
wp_update_nav_menu_item($menu, 0, ['menu-item-title' => 'Research', 'menu-item-object' => 'category', 'menu-item-object-id' => $cats['research'], 'menu-item-type' => 'taxonomy', 'menu-item-status' => 'publish']);

// ---- Modification dates, then the export. ----

foreach ($modified as $id => $local) {
	$wpdb->update($wpdb->posts, ['post_modified' => $local, 'post_modified_gmt' => get_gmt_from_date($local)], ['ID' => $id]);
}
$wpdb->query("UPDATE $wpdb->posts SET post_date = '2021-01-10 10:00:00', post_date_gmt = '2021-01-10 09:00:00' WHERE post_type = 'nav_menu_item'");
$wpdb->query("UPDATE $wpdb->posts SET post_modified = post_date, post_modified_gmt = post_date_gmt WHERE post_type IN ('attachment', 'nav_menu_item')");
clean_post_cache(1);
wp_cache_flush();

ob_start();
export_wp(['content' => 'all']);
file_put_contents("$out/export.xml", ob_get_clean());

// ---- References for the Go port: wpautop and what WordPress renders. ----

$cases = [
	"", "   \n  ", "one line", "para one\n\npara two", "line one\nline two", "a\r\nb\r\n\r\nc",
	"first\n\n\n\nsecond", "text<br />\n<br />more", "text<br><br>more",
	"<div>inside div</div>", "<div>\nline\n</div>", "before\n<div>block</div>\nafter",
	"<h2>Title</h2>\ntext after", "<ul>\n<li>a</li>\n<li>b</li>\n</ul>", "<ul><li>one\ntwo</li></ul>",
	"<blockquote>quote</blockquote>", "<blockquote>\nq1\n\nq2\n</blockquote>",
	"<pre>a\n\nb</pre>\n\nafter", "x<pre>one</pre>y<pre>two\n\nthree</pre>z", "<pre>unclosed\n\nstill",
	"</pre>stray close\n\nnext", "<p>already</p>\n\n<p>wrapped</p>",
	"<table>\n<tr>\n<td>a\nb</td>\n</tr>\n</table>", "<hr />text", "<hr>\ntext",
	"<img src=\"a.jpg\" alt=\"a\nb\" />\n\nnext", "<a href=\"x\"\ntitle=\"y\">link</a>", "<!-- comment\nline -->\n\ntext",
	"<script>var a = 1;\n\nvar b;</script>\ntext", "<style>\np { }\n</style>", "<svg>\n<g/>\n</svg>",
	"<select>\n<option>a</option>\n<option>b</option>\n</select>",
	"<object>\n<param name=\"a\">\n<embed src=\"b\">\n</object>", "<video>\n<source src=\"a.mp4\">\n</video>",
	"<figure><img src=\"a\" />\n<figcaption>cap</figcaption>\n</figure>",
	"[caption id=\"attachment_1\" width=\"300\"]<img src=\"a\" /> cap[/caption]",
	"text\n\n[gallery ids=\"1,2\"]\n\nmore", "[embed]https://example.org/v[/embed]", "[unknown a=\"b\"]",
	"&nbsp;\n\ntext", "tab\tand  spaces\n \nnext", "line\n<br />\nbreak", "trailing newline\n",
	"<div>text</div>plain", "<address>addr\nline</address>", "<p>open only", "unicode ✓ «quoted»\n\n中文段落",
	"<details><summary>s</summary>\nbody\n</details>", "a<!--more-->b", "<h1>a</h1><h2>b</h2>",
	"<section>\n<p>x</p>\n</section>\ny", "<li>orphan\nitem</li>", "text <em>inline\nbreak</em> end",
	"<math>\n<mi>x</mi>\n</math>", "<dl><dt>t</dt>\n<dd>d</dd></dl>",
	"a<br /> \nb", "a<br />\n\nb", "a <br/>\nb", "x <preview>y</preview>\n\nz", "a\vb\n\nc\f", "<div>a</div>\n<div>b</div>",
	"[caption width=\"1\"]<img src=\"a\">\ncaption[/caption]", "<p>[gallery]</p>", "<p> &nbsp;[embed]u[/embed]\xC2\xA0</p>",
	"<p>[caption]a[/caption] b</p>", "<p>[video src=\"a\"/]</p>", "<p>[audio]</p>", "<p>[captions]</p>",
];
// Random mixtures of what wpautop reacts to, for the port's corner cases.
mt_srand(42);
$pieces = ["\n", "\n\n", " ", "\t", "\r\n", "<p>", "</p>", "<pre>", "</pre>", "<div>", "</div>", "<br />", "<br>", "text",
	"word", "<li>", "</li>", "<ul>", "</ul>", "<blockquote>", "</blockquote>", "[gallery]", "[caption width=\"3\"]", "[/caption]",
	"<!-- c -->", "<!--\n-->", "<script>", "</script>", "<hr>", "&nbsp;", "<option>", "<figcaption>", "</figcaption>", "<source>",
	"<object>", "</object>", "<table>", "<td>", "<img src=\"x\"\nalt=\"y\">", "<h2>", "</h2>", "<", ">", "<style>", "</style>",
	"<svg>", "</svg>", "[embed]", "[/embed]", "<a href=\"#\">", "</a>", "<![CDATA[", "]]>"];
for ($i = 0; $i < 400; $i++) {
	$s = '';
	for ($j = mt_rand(1, 14); $j > 0; $j--) {
		$s .= $pieces[mt_rand(0, count($pieces) - 1)];
	}
	$cases[] = $s;
}
foreach ($wpdb->get_results("SELECT post_content FROM $wpdb->posts WHERE post_content NOT LIKE '%<!-- wp:%' AND post_content <> '' AND post_type IN ('post', 'page')") as $row) {
	$cases[] = $row->post_content;
}
$ref = [];
foreach ($cases as $in) {
	$autop = wpautop($in);
	$ref[] = ['in' => $in, 'autop' => $autop, 'nobr' => wpautop($in, false), 'unautop' => shortcode_unautop($autop)];
}
file_put_contents("$out/wpautop.json", json_encode($ref, JSON_PRETTY_PRINT | JSON_UNESCAPED_SLASHES | JSON_UNESCAPED_UNICODE) . "\n");

remove_filter('the_content', 'wptexturize');
remove_filter('the_content', 'convert_smilies', 20);
$rendered = [];
foreach (get_posts(['post_type' => ['post', 'page'], 'post_status' => 'any', 'numberposts' => -1, 'orderby' => 'ID', 'order' => 'ASC']) as $post) {
	// Each post as on its own page: a block post before it leaves wpautop re-added after
	// shortcode_unautop (do_blocks' _restore_wpautop_hook), which an archive page would show.
	remove_filter('the_content', '_restore_wpautop_hook', 11);
	remove_filter('the_content', 'wpautop', 10);
	remove_filter('the_content', 'shortcode_unautop', 10);
	add_filter('the_content', 'wpautop', 10);
	add_filter('the_content', 'shortcode_unautop', 10);
	$GLOBALS['post'] = $post;
	setup_postdata($post);
	$rendered[$post->ID] = apply_filters('the_content', $post->post_content);
}
file_put_contents("$out/rendered.json", json_encode($rendered, JSON_PRETTY_PRINT | JSON_UNESCAPED_SLASHES | JSON_UNESCAPED_UNICODE) . "\n");
echo "make-export: built and exported\n";
